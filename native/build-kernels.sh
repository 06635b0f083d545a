#!/usr/bin/env bash
# Builds every kernels/*.cu into a fatbin (SASS for sm_80/86/89/90 plus compute_90 PTX, so newer GPUs
# JIT it) and writes kernels.properties listing them. Maven runs this in generate-resources; the
# fatbins land in target/classes and so in the jar. Without nvcc the build goes on without kernels.
#   usage: build-kernels.sh KERNEL_DIR OUT_DIR      (NVCC=/path/to/nvcc to pick another compiler)
set -euo pipefail
src=${1:?kernel source folder}
out=${2:?output folder}
nvcc=${NVCC:-nvcc}
archs=${ESAE_CUDA_ARCHS:-"80 86 89 90"}
mkdir -p "$out"

if ! command -v "$nvcc" >/dev/null 2>&1; then
  echo "[esae] nvcc not found: building without CUDA kernels (the CUDA backend will report it)"
  rm -f "$out"/*.fatbin "$out/kernels.properties"
  exit 0
fi

gencode=()
for a in $archs; do gencode+=(-gencode "arch=compute_$a,code=sm_$a"); done
last=${archs##* }
gencode+=(-gencode "arch=compute_$last,code=compute_$last")

version=$("$nvcc" --version | sed -n 's/.*release \([0-9.]*\).*/\1/p' | head -n1)
modules=()
for cu in "$src"/*.cu; do
  [ -e "$cu" ] || continue
  name=$(basename "$cu" .cu)
  fatbin="$out/$name.fatbin"
  # Rebuild when the source, any shared header, or this script is newer than the fatbin.
  stale=0
  [ -e "$fatbin" ] || stale=1
  for dep in "$cu" "$src"/*.cuh "$0"; do
    [ -e "$dep" ] && [ "$dep" -nt "$fatbin" ] && stale=1
  done
  if [ "$stale" = 1 ]; then
    echo "[esae] nvcc $version: $name.cu -> $name.fatbin (sm_${archs// /, sm_} + PTX)"
    "$nvcc" -fatbin -O3 -std=c++17 -I"$src" "${gencode[@]}" -o "$fatbin.tmp" "$cu"
    mv "$fatbin.tmp" "$fatbin"
  fi
  modules+=("$name")
done

list=$(IFS=,; echo "${modules[*]}")
tmp="$out/kernels.properties.tmp"
{
  echo "modules=$list"
  echo "nvcc=$version"
  echo "archs=sm_${archs// /,sm_},compute_$last"
} > "$tmp"
mv "$tmp" "$out/kernels.properties"
