#!/usr/bin/env bash
# Builds what a GPU machine without Java needs to run esae's selftest and bench (the device tool's
# machines have CUDA and a driver but no Java and no network):
#   bundle/jre.tgz        a jlink'd Java 17 runtime (java.base, java.logging, java.management,
#                         jdk.unsupported, jdk.incubator.vector), ~19 MiB
#   bundle/esae-slim.jar  the esae jar without the natives selftest and bench do not use (OpenCV,
#                         XGBoost, OpenBLAS's LAPACK bindings, JCuda's PTX compiler)
#   bundle/run.sh         unpacks the runtime next to itself on first use and runs the jar
# Usage: scripts/gpu-bundle.sh [OUT_DIR]   (default: bundle/, which git ignores)
# On the GPU machine:  bash bundle/run.sh doctor; bash bundle/run.sh selftest; bash bundle/run.sh bench --stage topk
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out="${1:-$root/bundle}"
java_home="${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")}"
mkdir -p "$out"
"$root/esae" --version >/dev/null 2>&1 || true   # builds target/esae.jar when missing or stale
jar="$root/target/esae.jar"
[ -f "$jar" ] || { echo "gpu-bundle: $jar was not built" >&2; exit 1; }

python3 - "$jar" "$out/esae-slim.jar" <<'PY'
import sys, zipfile
src, dst = sys.argv[1], sys.argv[2]
drop = ("org/bytedeco/opencv/", "lib/linux/", "lib/windows/", "lib/macos/", "lib/libJNvPTXCompiler",
        "org/bytedeco/openblas/linux-x86_64/libjniopenblas_full.so", "org/bytedeco/openblas/linux-x86_64/libjniopenblas.so")
keep_classes = ("org/bytedeco/opencv/global/", "org/bytedeco/opencv/opencv_core/", "org/bytedeco/opencv/presets/")
with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst + ".tmp", "w", zipfile.ZIP_DEFLATED) as zout:
    for item in zin.infolist():
        name = item.filename
        # OpenCV's natives go; its Java classes stay, so 'doctor' can say it cannot load them.
        if name.startswith(drop) and not (name.startswith(keep_classes) and name.endswith(".class")):
            continue
        zout.writestr(item, zin.read(name))
import os
os.replace(dst + ".tmp", dst)
PY

rm -rf "$out/jre"
"$java_home/bin/jlink" --add-modules java.base,java.logging,java.management,jdk.unsupported,jdk.incubator.vector \
  --strip-debug --no-man-pages --no-header-files --compress=2 --output "$out/jre"
tar -C "$out" -czf "$out/jre.tgz.tmp" jre && mv "$out/jre.tgz.tmp" "$out/jre.tgz" && rm -rf "$out/jre"

cat > "$out/run.sh" <<'RUN'
#!/usr/bin/env bash
# Runs the bundled esae with the bundled Java runtime (unpacked on first use).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
[ -x "$here/jre/bin/java" ] || tar -C "$here" -xzf "$here/jre.tgz"
exec "$here/jre/bin/java" --enable-native-access=ALL-UNNAMED --add-modules jdk.incubator.vector \
  -Dorg.bytedeco.javacpp.cachedir="$here/.javacpp" -jar "$here/esae-slim.jar" "$@"
RUN
chmod +x "$out/run.sh"
du -h "$out/jre.tgz" "$out/esae-slim.jar" | sed 's/^/gpu-bundle: /'
du -ch "$out/jre.tgz" "$out/esae-slim.jar" "$out/run.sh" | tail -n 1 | sed 's/^/gpu-bundle: total /'
