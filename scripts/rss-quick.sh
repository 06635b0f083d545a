#!/usr/bin/env bash
# Peak resident memory (RSS) of each kind of command of a quick study, each run alone in its own
# JVM under GNU time, on the inputs of a study that has run (e.g. runs/quick), the same arguments
# as reproduce gives it, writing into a scratch folder (the study is not touched). One model's
# commands (--arch, default cnn), one K (--k, default 16). Ends with a Markdown table: command,
# wall seconds, peak RSS in MiB, and the size of the activations it reads.
#
#   scripts/rss-quick.sh STUDY [--arch mlp|cnn] [--k K]
#
# ESAE may name another esae command (e.g. "java ... -jar /tmp/esae.jar"). Why per command and
# not per step of one reproduce: in one JVM a step's peak counts the heap that earlier steps left
# (reproduce's peak_rss_mib.json says what a study held at each step, not what a command needs).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
study=""; arch=cnn; k=16
while [ $# -gt 0 ]; do
  case "$1" in
    --arch) arch=$2; shift 2 ;;
    --k) k=$2; shift 2 ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    -*) echo "rss-quick: unknown option $1" >&2; exit 2 ;;
    *) study=$1; shift ;;
  esac
done
[ -n "$study" ] && [ -f "$study/study.json" ] || { echo "rss-quick: expected a study folder (with study.json), got '${study}'" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "rss-quick: needs GNU time (/usr/bin/time; Debian package 'time')" >&2; exit 2; }
if [ -z "${ESAE:-}" ]; then
  "$root/esae" --version >/dev/null 2>&1
  ESAE="$root/esae"
fi
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
s=$(cd "$study" && pwd)
rows=()
measure() { # label, acts file or -, esae args...
  local label=$1 acts=$2; shift 2
  local t0 t1 rss
  t0=$(date +%s.%N)
  /usr/bin/time -f "%M" -o "$scratch/rss" $ESAE "$@" > "$scratch/log" 2>&1 || { echo "rss-quick: '$label' failed:" >&2; tail -5 "$scratch/log" >&2; exit 1; }
  t1=$(date +%s.%N)
  rss=$(tail -1 "$scratch/rss")
  local size=-
  [ "$acts" != - ] && size=$(python3 -c "import os,sys; print(f'{os.path.getsize(sys.argv[1]) / 2**20:.1f}')" "$acts")
  rows+=("| \`$label\` | $(python3 -c "print(f'{$t1 - $t0:.1f}')") | $((rss / 1024)) | $size |")
  echo "$label: $(python3 -c "print(f'{$t1 - $t0:.1f}')") s, $((rss / 1024)) MiB" >&2
}
acts="$s/$arch/acts.npy"
measure "dataset --n 2000" - dataset --n 2000 --seed 0 --out "$scratch/data"
measure "train-base --arch $arch" - train-base --arch "$arch" --data "$s/data" --epochs 8 --out "$scratch/model"
measure "activations ($arch, train set)" "$acts" activations --model "$s/$arch" --data "$s/data" --out "$scratch/acts.npy"
measure "fit-m --solver adam" "$acts" fit-m --solver adam --acts "$acts" --epochs 40 --out "$scratch/m-adam"
measure "fit-m --solver lbfgs" "$acts" fit-m --solver lbfgs --acts "$acts" --iterations 1000 --out "$scratch/m-lbfgs"
for kind in topk wide twolayer invariant equivariant; do
  extra=()
  [ "$kind" = equivariant ] && extra=(--transform "$s/$arch-m-lbfgs")
  measure "train-sae --kind $kind --k $k" "$acts" train-sae --kind "$kind" --k "$k" --acts "$acts" --epochs 8 "${extra[@]}" --out "$scratch/sae-$kind"
done
saes=()
for kind in topk wide twolayer invariant equivariant; do saes+=(--sae "$s/sae/$arch-$kind-k$k"); done
measure "probe (5 SAEs, 180 tasks)" "$s/probe/acts-$arch.npy" probe "${saes[@]}" --acts "$s/probe/acts-$arch.npy" \
  --labels "$s/probe/labels.npy" --lengths 8,32 --probes knn,logreg,xgboost --xgb-max-bin 64 --out "$scratch/probe"
fsaes=()
for kk in 8 16 32; do for kind in topk wide twolayer invariant equivariant; do fsaes+=(--sae "$s/sae/$arch-$kind-k$kk"); done; done
measure "frontier (15 SAEs)" - frontier "${fsaes[@]}" --model "$s/$arch" --data "$s/probe" --out "$scratch/frontier"
echo
echo "# $(date -u +%Y-%m-%dT%H:%MZ) $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(nproc) cores; study $study, $arch, K = $k"
echo "| command | wall s | peak RSS MiB | activations read (MiB) |"
echo "| --- | --- | --- | --- |"
printf '%s\n' "${rows[@]}"
