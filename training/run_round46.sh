#!/usr/bin/env bash
# Release 2.2, forty-sixth round (MODEL_CARD): H80, one file with W80_w0.1's network for one-edit texts and X80's
# (round 45) for two or more; the reference is the app now (W80_w0.1 with c = 1), as measured by round 45.
# Usage: STEPS=val bash training/run_round46.sh        (the file; R@1, two differences, folder; refine with carry)
#        STEPS=evaluate bash training/run_round46.sh   (the gate, once, after training/demo_check.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
OUT=training/results/round46
mkdir -p "$OUT"
[[ -f "$OUT/H80.json" ]] || $PY -m training.aligned_split --one training/results/round42/W80_w0.1.json \
  --two training/results/round45/X80.json --out "$OUT/H80.json"
STEPS=${STEPS:-val} OUT=$OUT NAME=H80 TAG=H_C1 REFERENCE_FROM=W80_w0.1:training/results/round45 REF_TAG=W0.1_C1 \
  REF_FILE=training/results/round42/W80_w0.1.json bash training/run_candidate_gate.sh
