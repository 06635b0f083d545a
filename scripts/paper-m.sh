#!/usr/bin/env bash
# Result 1 at the paper's scale: both base models on 10,000 upright images for 100 epochs, their
# activations, and M fitted by both solvers at the paper preset's budgets (Adam 150 epochs, L-BFGS
# 2000 iterations). Resumable: a rerun skips what is there (train-base resumes from its checkpoint).
#
#   scripts/paper-m.sh OUT [THREADS]     # e.g. scripts/paper-m.sh runs/paper-m 1
#
# Prints each step's wall time; OUT/timings.txt keeps them. The study's other stages at this scale
# are `esae reproduce --preset paper` (hours on a CPU).
set -euo pipefail
out=${1:?usage: scripts/paper-m.sh OUT [THREADS]}
threads=${2:-1}
# ESAE_JAR runs a fixed jar instead of ./esae (which rebuilds the jar when the sources change).
if [ -n "${ESAE_JAR:-}" ]; then
  esae=(java --enable-native-access=ALL-UNNAMED --add-modules jdk.incubator.vector -jar "$ESAE_JAR")
else
  esae=("$(cd "$(dirname "$0")/.." && pwd)/esae")
fi
mkdir -p "$out"
# step NAME DONE-FILE [DONE-LINES] -- COMMAND...: skipped when DONE-FILE exists (with DONE-LINES lines).
step() {
  local name=$1 done=$2 lines=; shift 2
  if [ "$1" != -- ]; then lines=$1; shift; fi
  shift
  if [ -e "$done" ] && { [ -z "$lines" ] || [ "$(wc -l < "$done")" = "$lines" ]; }; then echo "$name: skipped (done)"; return; fi
  local t0=$SECONDS
  "${esae[@]}" --threads "$threads" --seed 0 "$@"
  echo "$name: $((SECONDS - t0)) s" | tee -a "$out/timings.txt"
}
step dataset "$out/data/dataset.json" -- dataset --n 10000 --seed 0 --out "$out/data"
for arch in mlp cnn; do
  resume=(); [ -e "$out/$arch/train-state.safetensors" ] && resume=(--resume)
  # Its weights are written after every epoch: finished means loss.csv holds all 100 epochs.
  step "train-base $arch" "$out/$arch/loss.csv" 101 -- train-base --arch "$arch" --data "$out/data" --epochs 100 --out "$out/$arch" "${resume[@]}"
  step "activations $arch" "$out/$arch/acts.npy" -- activations --model "$out/$arch" --data "$out/data" --out "$out/$arch/acts.npy"
  step "fit-m adam $arch" "$out/$arch-m/r2.json" -- fit-m --solver adam --epochs 150 --acts "$out/$arch/acts.npy" --out "$out/$arch-m"
  step "fit-m lbfgs $arch" "$out/$arch-m-lbfgs/r2.json" -- fit-m --solver lbfgs --iterations 2000 --acts "$out/$arch/acts.npy" --out "$out/$arch-m-lbfgs"
done
