#!/usr/bin/env bash
# Writes the git commit the jar is built from (with "-dirty" when tracked files differ from it) as
# git_commit=... into OUT; "unknown" outside a git checkout. Maven runs it in generate-resources.
#   usage: build-commit.sh REPO_DIR OUT_FILE
set -euo pipefail
repo=${1:?repository folder}
out=${2:?output file}
mkdir -p "$(dirname "$out")"
commit=unknown
if command -v git >/dev/null 2>&1 && commit=$(git -C "$repo" rev-parse HEAD 2>/dev/null); then
  if [ -n "$(git -C "$repo" status --porcelain --untracked-files=no 2>/dev/null)" ]; then commit="$commit-dirty"; fi
else
  commit=unknown
fi
printf 'git_commit=%s\n' "$commit" > "$out.tmp"
mv "$out.tmp" "$out"
