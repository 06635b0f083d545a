#!/usr/bin/env bash
# esae against the PyTorch peer (../shared/bench/torch_peer.py) on this machine's CPU, stage by
# stage, at each thread count: R rounds of "esae bench", the dense peer and, for the SAE stages,
# the sparse peer (torch_peer.py --sparse, the sparsify-style step a speed-minded user would
# write), alternating, with the same n, epochs and batch. Also measures OpenBLAS's SGEMM rate
# (esae bench --stage sgemm). Ends with a Markdown table: per stage and thread count the medians,
# the ratio esae / the faster peer variant of each round with its spread (min-max over rounds),
# esae's GFLOP/s, and its GEMM bound share: esae's epoch time over the time its step's dense
# products alone take at the SGEMM rate bench measures in the same process (1.0 = GEMM-bound).
#
#   scripts/bench-cpu.sh [--threads "1 2"] [--rounds R] [--n N] [--epochs E] [STAGE...]
#   (STAGE: mlp cnn fitm topk wide twolayer invariant; default: all. The equivariant SAE trains
#   exactly as the invariant one, M being fitted before: "invariant" times both.)
#
# Installs what the peer needs from Debian if missing: python3-torch and an optimised BLAS
# (libopenblas0-pthread). Without the latter Debian's torch uses the reference BLAS and the peer
# would be several times slower than a researcher's own setup, which would flatter esae.
# The peer runs with OMP_WAIT_POLICY=PASSIVE: otherwise torch's OpenMP threads spin while OpenBLAS's
# own threads do the GEMMs, and at 2 threads on 2 cores the peer runs at a third of its 1-thread
# speed, which would flatter esae (measured: MLP 2,088 images/s spinning, 7,018 passive).
# ESAE may name another esae command (e.g. "java ... -jar /tmp/esae.jar") so that the build cannot
# change under a long run.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
peer="${PEER:-$root/../shared/bench/torch_peer.py}"
threads_list="1 2"; rounds=3; n=5000; epochs=3; stages=()
while [ $# -gt 0 ]; do
  case "$1" in
    --threads) threads_list=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    --n) n=$2; shift 2 ;;
    --epochs) epochs=$2; shift 2 ;;
    -h|--help) sed -n '2,24p' "$0"; exit 0 ;;
    -*) echo "bench-cpu: unknown option $1" >&2; exit 2 ;;
    *) stages+=("$1"); shift ;;
  esac
done
[ ${#stages[@]} -gt 0 ] || stages=(mlp cnn fitm topk wide twolayer invariant)
[ -f "$peer" ] || { echo "bench-cpu: the peer script is not at $peer (set PEER=...)" >&2; exit 2; }

if ! /usr/bin/python3 -c "import torch" 2>/dev/null || ! dpkg -s libopenblas0-pthread >/dev/null 2>&1; then
  echo "bench-cpu: installing python3-torch and libopenblas0-pthread (Debian)" >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-torch libopenblas0-pthread >&2
fi
if [ -z "${ESAE:-}" ]; then
  "$root/esae" --version >/dev/null 2>&1   # builds the jar if needed, outside the timed runs
  ESAE="$root/esae"
fi

field() { python3 -c "import json,sys; print(json.loads(sys.stdin.readline())['$1'])"; }
rows=$(mktemp)
trap 'rm -f "$rows"' EXIT
echo "# $(date -u +%Y-%m-%dT%H:%MZ) $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(nproc) cores;" \
  "threads: $threads_list; n=$n epochs=$epochs rounds=$rounds; torch $(/usr/bin/python3 -c 'import torch; print(torch.__version__)')"
printf "%-10s %-7s %-5s %12s %12s %12s %8s %8s %8s\n" stage threads round esae_img_s peer_img_s sparse_img_s ratio gflops bound_x
for t in $threads_list; do
  peak=$($ESAE bench --stage sgemm --threads "$t" 2>/dev/null | field gflops)
  printf "%-10s %-7s %-5s %12s %12s %12s %8s %8s %8s\n" sgemm "$t" - - - - - "$peak" -
  for stage in "${stages[@]}"; do
    for r in $(seq 1 "$rounds"); do
      line=$($ESAE bench --stage "$stage" --threads "$t" --n "$n" --epochs "$epochs" 2>/dev/null)
      e=$(echo "$line" | field images_per_s)
      g=$(echo "$line" | field gflops)
      bx=$(echo "$line" | field over_bound)
      p=$(OMP_WAIT_POLICY=PASSIVE /usr/bin/python3 "$peer" "$stage" --threads "$t" --n "$n" --epochs "$epochs" | field samples_per_s)
      sp=-
      case "$stage" in
        topk|wide|twolayer|invariant)
          sp=$(OMP_WAIT_POLICY=PASSIVE /usr/bin/python3 "$peer" "$stage" --sparse --threads "$t" --n "$n" --epochs "$epochs" | field samples_per_s) ;;
      esac
      ratio=$(python3 -c 'import sys; e, p, sp = sys.argv[1:]; b = max(float(p), 0 if sp == "-" else float(sp)); print("%.2f" % (float(e) / b))' "$e" "$p" "$sp")
      printf "%-10s %-7s %-5s %12s %12s %12s %8s %8s %8s\n" "$stage" "$t" "$r" "$e" "$p" "$sp" "$ratio" "$g" "$bx"
      echo "$stage $t $e $p $sp $g $bx $peak" >> "$rows"
    done
  done
done

echo
python3 - "$rows" <<'PY'
import statistics, sys
rows = {}
for line in open(sys.argv[1]):
    s, t, e, p, sp, g, bx, peak = line.split()
    rows.setdefault((s, int(t)), []).append((float(e), float(p), None if sp == "-" else float(sp), float(g), float(bx), float(peak)))
print("| stage | threads | esae images/s | peer images/s | sparse peer images/s | esae / faster peer, median (min-max) "
      "| esae GFLOP/s | share of SGEMM rate | epoch / GEMM bound |")
print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
med = statistics.median
for (s, t), rs in rows.items():
    ratios = [e / max(p, sp or 0) for e, p, sp, _, _, _ in rs]
    sparse = [x[2] for x in rs if x[2] is not None]
    g = med(x[3] for x in rs)
    peak = rs[0][5]
    print(f"| {s} | {t} | {med(x[0] for x in rs):.0f} | {med(x[1] for x in rs):.0f} | "
          f"{f'{med(sparse):.0f}' if sparse else '-'} | **{med(ratios):.2f}** ({min(ratios):.2f}-{max(ratios):.2f}) | "
          f"{g:.1f} | {100 * g / peak:.0f}% of {peak:.0f} | {med(x[4] for x in rs):.2f}x |")
PY
