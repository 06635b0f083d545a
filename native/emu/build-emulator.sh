#!/usr/bin/env bash
# Builds the host emulator of esae's CUDA kernels (a JNI library) from the same kernels/*.cu the GPU
# build uses. The tests run it to check the CUDA backend's Java side and the kernels' logic on
# machines without a GPU; it is not part of the jar.
#   usage: build-emulator.sh KERNEL_DIR OUT_LIBRARY      (needs g++ and a JDK's include folder)
set -euo pipefail
src=$(cd "${1:?kernel source folder}" && pwd)
out=${2:?output library}
here=$(cd "$(dirname "$0")" && pwd)
java_home=${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

: > "$work/kernels_all.inc"
: > "$work/kernels_list.inc"
for cu in "$src"/*.cu; do
  echo "#include \"$cu\"" >> "$work/kernels_all.inc"
  sed -n 's/^KERNEL \([A-Za-z0-9_]*\)(.*/ESAE_KERNEL(\1)/p' "$cu" >> "$work/kernels_list.inc"
done
mkdir -p "$(dirname "$out")"
g++ -std=c++17 -O1 -g -shared -fPIC -DESAE_EMULATE -Wall -Wno-unused-function \
  -I"$here" -I"$src" -I"$work" -I"$java_home/include" -I"$java_home/include/linux" \
  -o "$out.tmp" "$here/emu_runtime.cpp"
mv "$out.tmp" "$out"
echo "[esae] emulator: $(wc -l < "$work/kernels_list.inc") kernels -> $out"
