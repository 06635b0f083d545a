#!/usr/bin/env bash
# Fuzzes the parsers of the files users give esae (.npy, safetensors, the JSON records, SAE and other
# folders): each *FuzzTest of src/test/java/dev/esae/io for SECONDS (default 30) under Jazzer, one JVM
# per target (Jazzer fuzzes one fuzz test per JVM), in surefire's default execution only, JOBS at a
# time. Fails when a target fails, and prints each new finding: Jazzer writes it as crash-* (or
# timeout-*, ...) beside the seeds in src/test/resources/dev/esae/io/<Target>Inputs/<method>/, where
# `mvn test` then runs it as a regression input: fix the parser, keep the file. The corpus Jazzer grows
# is kept in .cifuzz-corpus/ (not checked in); the logs are in target/fuzz/.
#   usage: scripts/fuzz.sh [SECONDS] [TARGET...]        e.g. scripts/fuzz.sh 300 NpyFuzzTest
#          scripts/fuzz.sh --seeds                      writes the seed inputs again (after a format change)
#   ESAE_FUZZ_JOBS   targets fuzzed at once (default 2: each fuzzer keeps one core busy)
#   ESAE_MVN_FLAGS   more Maven flags, e.g. -o, or -Djazzer.keep_going=10 to go on after a finding
set -euo pipefail
cd "$(dirname "$0")/.."
read -r -a extra <<<"${ESAE_MVN_FLAGS:-}"
mvn=(mvn -B -Dstyle.color=never "${extra[@]}")
inputs=src/test/resources/dev/esae/io

if [ "${1:-}" = "--seeds" ]; then
  "${mvn[@]}" -q test-compile
  "${mvn[@]}" -q exec:exec -Dexec.executable=java -Dexec.classpathScope=test \
    -Dexec.args="-cp %classpath dev.esae.io.FuzzSeeds src/test/resources"
  exit 0
fi

seconds=${1:-30}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(NpyFuzzTest SafeTensorsFuzzTest JsonFuzzTest SaeFolderFuzzTest FolderFuzzTest TaskTableFuzzTest)
jobs=${ESAE_FUZZ_JOBS:-2}

findings() {
  find "$inputs" -type f \( -name 'crash-*' -o -name 'timeout-*' -o -name 'oom-*' -o -name 'leak-*' -o -name 'slow-unit-*' \) | sort
}

fuzz() {
  local t=$1 start=$SECONDS rc=0
  "${mvn[@]}" -Pfuzz surefire:test@default-test -Dtest="$t" -Dfuzz.target="$t" -Dfuzz.seconds="$seconds" >"target/fuzz/$t.log" 2>&1 || rc=$?
  echo "$rc $((SECONDS - start))" >"target/fuzz/$t.rc"
}

# Compiled and the seeds copied once: the runs below call the test goal alone.
"${mvn[@]}" -q test-compile
rm -rf target/fuzz
mkdir -p target/fuzz
before=$(findings)
for t in "${targets[@]}"; do
  while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do wait -n || true; done
  fuzz "$t" &
done
wait

failed=()
for t in "${targets[@]}"; do
  log=target/fuzz/$t.log
  read -r rc took <"target/fuzz/$t.rc"
  # libFuzzer's total and its last status line: cov (edges covered), ft (features), corp (corpus).
  done_line=$(grep -E '^Done [0-9]+ runs' "$log" | tail -n 1 || true)
  status=$(grep -E '^#[0-9]+' "$log" | tail -n 1 | sed -E 's/^#[0-9]+[[:space:]]+[A-Z]+[[:space:]]+//; s/ (lim|exec\/s|rss|L|MS):.*//' || true)
  echo "[fuzz] $t: ${done_line:-no fuzzing run}; ${status:-no coverage line} ($took s with the JVM, exit $rc)"
  if [ "$rc" != 0 ]; then
    failed+=("$t")
    grep -E 'FuzzTestFinding|Caused by|^== Java|^	at dev\.esae' "$log" | head -n 20 | sed 's/^/    /' || true
    echo "    (full log: $log)"
  fi
done

new=$(comm -13 <(echo "$before") <(findings) | sed '/^$/d' || true)
if [ -n "$new" ]; then
  echo "[fuzz] new findings (now regression inputs of 'mvn test'; fix the parser, keep the file):"
  while read -r f; do
    echo "  $f ($(wc -c <"$f") bytes)"
    od -A d -c "$f" | head -n 6 | sed 's/^/    /'
  done <<<"$new"
fi
if [ ${#failed[@]} -gt 0 ] || [ -n "$new" ]; then
  echo "[fuzz] FAILED: ${failed[*]:-new findings}"
  exit 1
fi
echo "[fuzz] ${#targets[@]} targets, $seconds s each: no findings"
