#!/usr/bin/env bash
# Builds the host emulator of esae's CUDA kernels from the same kernels/*.cu the GPU build uses:
#  - a JNI library (OUT_LIBRARY), which the tests load to run the CUDA backend's Java side and the
#    kernels' logic (dev.esae.compute.cuda.EmulatedRuntime);
#  - with JCUDA_NATIVES_JAR and DRIVER_DIR also DRIVER_DIR/libcuda.so.1, an emulated CUDA driver:
#    the driver API calls esae makes, on the same emulator, and a CUDA_ERROR_NOT_SUPPORTED stub for
#    every other cu* symbol JCuda's native binding (libJCudaDriver in that jar) imports. With
#    DRIVER_DIR first on LD_LIBRARY_PATH, the real JCudaRuntime runs on it.
# Neither is part of the jar.
#   usage: build-emulator.sh KERNEL_DIR OUT_LIBRARY [JCUDA_NATIVES_JAR DRIVER_DIR]   (needs g++, nm, a JDK)
set -euo pipefail
src=$(cd "${1:?kernel source folder}" && pwd)
out=${2:?output library}
natives=${3:-}
driver_dir=${4:-}
here=$(cd "$(dirname "$0")" && pwd)
java_home=${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

: > "$work/kernels_all.inc"
: > "$work/kernels_list.inc"
for cu in "$src"/*.cu "$here"/fault_kernels.cu; do
  echo "#include \"$cu\"" >> "$work/kernels_all.inc"
  sed -n 's/^KERNEL \([A-Za-z0-9_]*\)(.*/ESAE_KERNEL(\1)/p' "$cu" >> "$work/kernels_list.inc"
done
flags=(-std=c++17 -O1 -g -fPIC -DESAE_EMULATE -Wall -Wno-unused-function -I"$here" -I"$src" -I"$work")
g++ "${flags[@]}" -c -o "$work/emu_core.o" "$here/emu_core.cpp"

mkdir -p "$(dirname "$out")"
g++ "${flags[@]}" -shared -I"$java_home/include" -I"$java_home/include/linux" \
  -o "$out.tmp" "$here/emu_runtime.cpp" "$work/emu_core.o"
mv "$out.tmp" "$out"
echo "[esae] emulator: $(wc -l < "$work/kernels_list.inc") kernels -> $out"

if [ -n "$natives" ]; then
  : "${driver_dir:?DRIVER_DIR is needed with JCUDA_NATIVES_JAR}"
  # The JDK's jar tool reads the natives jar (unzip need not be installed).
  binding=$("$java_home/bin/jar" tf "$natives" | grep -m1 'libJCudaDriver.*\.so$') || { echo "no libJCudaDriver in $natives" >&2; exit 1; }
  (cd "$work" && "$java_home/bin/jar" xf "$natives" "$binding" && mv "$binding" binding.so)
  # Every cu* function the binding imports and emu_driver.cpp does not implement: a stub.
  grep -o '^CUresult cu[A-Za-z0-9_]*(' "$here/emu_driver.cpp" | sed 's/^CUresult //; s/($//' | sort -u > "$work/implemented"
  nm -D --undefined-only "$work/binding.so" | awk '$1 == "U" && $2 ~ /^cu/ {print $2}' | sed 's/@.*//' | sort -u > "$work/imported"
  comm -23 "$work/imported" "$work/implemented" \
    | sed 's/.*/CUresult &() { return CUDA_ERROR_NOT_SUPPORTED; }/' > "$work/driver_stubs.inc"
  mkdir -p "$driver_dir"
  g++ "${flags[@]}" -shared -Wl,-soname,libcuda.so.1 -Wl,--no-undefined \
    -o "$driver_dir/libcuda.so.1.tmp" "$here/emu_driver.cpp" "$work/emu_core.o"
  mv "$driver_dir/libcuda.so.1.tmp" "$driver_dir/libcuda.so.1"
  echo "[esae] emulated driver: $(wc -l < "$work/implemented") driver calls, $(wc -l < "$work/driver_stubs.inc") stubs -> $driver_dir/libcuda.so.1"
  # Every import of the binding must now resolve in the library.
  missing=$(comm -23 "$work/imported" <(nm -D --defined-only "$driver_dir/libcuda.so.1" | awk '{print $3}' | sort -u))
  [ -z "$missing" ] || { echo "the emulated driver lacks: $missing" >&2; exit 1; }
fi
