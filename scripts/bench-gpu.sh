#!/usr/bin/env bash
# The GPU checks of esae in one run, for a machine with an NVIDIA GPU (issue: GPU training end to
# end): esae selftest, then per stage "esae bench" and the PyTorch peer on the same device,
# alternating round by round, then "esae reproduce --preset paper" with its wall time per study
# stage. Ends with a Markdown table (images/s per stage, esae and the peer, ratio) and the study's
# timings.json.
#
#   scripts/bench-gpu.sh [--device cuda|cpu] [--rounds R] [--n N] [--epochs E] [--preset paper|quick|tiny] [--no-study]
#                        [--out DIR] [STAGE...]
#
# ESAE names the esae command (default: ./esae; on a machine without Java, "bash bundle/run.sh"
# from scripts/gpu-bundle.sh). PEER names torch_peer.py (default ../shared/bench/torch_peer.py,
# else shared/bench/torch_peer.py) and PYTHON the Python that has torch (default python3).
# "--device cpu --n 500 --rounds 1 --preset tiny" is the dry run
# that checks the script where there is no GPU. Nothing is installed: the GPU machine has no network.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
device=cuda; rounds=3; n=10000; epochs=3; study=1; preset=paper; out="$root/runs/bench-gpu"; stages=()
while [ $# -gt 0 ]; do
  case "$1" in
    --device) device=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    --n) n=$2; shift 2 ;;
    --epochs) epochs=$2; shift 2 ;;
    --no-study) study=0; shift ;;
    --preset) preset=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
    -*) echo "bench-gpu: unknown option $1" >&2; exit 2 ;;
    *) stages+=("$1"); shift ;;
  esac
done
[ ${#stages[@]} -gt 0 ] || stages=(mlp cnn fitm topk wide twolayer invariant)
ESAE="${ESAE:-$root/esae}"
peer="${PEER:-}"
for p in "$root/../shared/bench/torch_peer.py" "$root/shared/bench/torch_peer.py"; do
  [ -n "$peer" ] || { [ -f "$p" ] && peer="$p"; } || true
done
[ -n "$peer" ] && [ -f "$peer" ] || { echo "bench-gpu: torch_peer.py not found (set PEER=...)" >&2; exit 2; }
"${PYTHON:-python3}" -c "import torch" 2>/dev/null || { echo "bench-gpu: the peer needs PyTorch (${PYTHON:-python3} -c 'import torch' failed)" >&2; exit 2; }
mkdir -p "$out"
field() { python3 -c "import json,sys; print(json.loads(sys.stdin.readline())['$1'])"; }

echo "# $(date -u +%Y-%m-%dT%H:%MZ) device=$device n=$n epochs=$epochs rounds=$rounds"
[ "$device" != cuda ] || nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader || true
echo "## selftest"
$ESAE --device "$device" selftest | tee "$out/selftest.txt"

echo "## stages"
rows="$out/rows.txt"; : > "$rows"
printf "%-10s %-5s %12s %12s %8s\n" stage round esae_img_s peer_img_s ratio
for stage in "${stages[@]}"; do
  for r in $(seq 1 "$rounds"); do
    e=$($ESAE --device "$device" bench --stage "$stage" --n "$n" --epochs "$epochs" 2>/dev/null | field images_per_s)
    p=$("${PYTHON:-python3}" "$peer" "$stage" --device "$device" --n "$n" --epochs "$epochs" | field samples_per_s)
    ratio=$(python3 -c "print(f'{$e / $p:.2f}')")
    printf "%-10s %-5s %12s %12s %8s\n" "$stage" "$r" "$e" "$p" "$ratio"
    echo "$stage $e $p" >> "$rows"
  done
done
python3 - "$rows" <<'PY' | tee "$out/stages.md"
import statistics, sys
rows = {}
for line in open(sys.argv[1]):
    s, e, p = line.split()
    rows.setdefault(s, []).append((float(e), float(p)))
print("| stage | esae images/s (median) | peer images/s (median) | ratio median (min-max) |")
print("| --- | --- | --- | --- |")
for s, rs in rows.items():
    r = [e / p for e, p in rs]
    print(f"| {s} | {statistics.median(x[0] for x in rs):.0f} | {statistics.median(x[1] for x in rs):.0f} | "
          f"**{statistics.median(r):.2f}** ({min(r):.2f}-{max(r):.2f}) |")
PY

if [ "$study" = 1 ]; then
  echo "## reproduce --preset $preset"
  start=$(date +%s)
  $ESAE --device "$device" reproduce --preset "$preset" --out "$out/$preset"
  echo "reproduce --preset $preset: $(( $(date +%s) - start )) s wall; per step: $out/$preset/timings.json"
fi
