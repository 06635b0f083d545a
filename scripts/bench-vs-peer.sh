#!/usr/bin/env bash
# Measures esae against the PyTorch peer (../shared/bench/torch_peer.py) on this machine: for each
# stage, R rounds of "esae bench" then the peer, alternating, at the same thread count, n and batch.
# Prints each round's images/s and the ratio esae/peer (median, min, max over rounds).
#
#   scripts/bench-vs-peer.sh [--threads T] [--rounds R] [--n N] [--epochs E] STAGE...   (STAGE: mlp cnn ...)
#
# Installs what the peer needs from Debian if missing: python3-torch and an optimised BLAS
# (libopenblas0-pthread). Without the latter Debian's torch uses the reference BLAS and the peer
# would be several times slower than a researcher's own setup, which would flatter esae.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
peer="${PEER:-$root/../shared/bench/torch_peer.py}"
threads=1; rounds=3; n=10000; epochs=3; stages=()
while [ $# -gt 0 ]; do
  case "$1" in
    --threads) threads=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    --n) n=$2; shift 2 ;;
    --epochs) epochs=$2; shift 2 ;;
    -*) echo "bench-vs-peer: unknown option $1" >&2; exit 2 ;;
    *) stages+=("$1"); shift ;;
  esac
done
[ ${#stages[@]} -gt 0 ] || { echo "usage: scripts/bench-vs-peer.sh [--threads T] [--rounds R] [--n N] STAGE..." >&2; exit 2; }
[ -f "$peer" ] || { echo "bench-vs-peer: the peer script is not at $peer (set PEER=...)" >&2; exit 2; }

if ! /usr/bin/python3 -c "import torch" 2>/dev/null || ! dpkg -s libopenblas0-pthread >/dev/null 2>&1; then
  echo "bench-vs-peer: installing python3-torch and libopenblas0-pthread (Debian)" >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-torch libopenblas0-pthread >&2
fi
"$root/esae" --version >/dev/null 2>&1   # builds the jar if needed, outside the timed runs

field() { python3 -c "import json,sys; print(json.loads(sys.stdin.readline())['$1'])"; }
echo "# $(date -u +%Y-%m-%dT%H:%MZ) $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), threads=$threads n=$n epochs=$epochs rounds=$rounds OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE:-unset}"
printf "%-10s %-6s %12s %12s %8s\n" stage round esae_img_s peer_img_s ratio
for stage in "${stages[@]}"; do
  ratios=()
  for r in $(seq 1 "$rounds"); do
    e=$("$root/esae" --threads "$threads" bench --stage "$stage" --n "$n" --epochs "$epochs" 2>/dev/null | field images_per_s)
    p=$(/usr/bin/python3 "$peer" "$stage" --threads "$threads" --n "$n" --epochs "$epochs" | field samples_per_s)
    ratio=$(python3 -c "print(f'{$e / $p:.2f}')")
    ratios+=("$ratio")
    printf "%-10s %-6s %12s %12s %8s\n" "$stage" "$r" "$e" "$p" "$ratio"
  done
  python3 -c "
import statistics; r = [float(x) for x in '${ratios[*]}'.split()]
print(f'${stage}: esae/peer ratio median {statistics.median(r):.2f} (min {min(r):.2f}, max {max(r):.2f}) over {len(r)} rounds, {$threads} thread(s)')"
done
