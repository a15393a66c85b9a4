#!/usr/bin/env bash
# Release 2.2, fifty-third round (MODEL_CARD): SL80, one file holding WA80 (the app) for one-edit texts and WL80
# (round 52, which reads the level features) for two-edit texts; the reference is WA80, as measured by round 49.
# Usage: STEPS=val bash training/run_round53.sh        (R@1, two differences, folder; refine with carry)
#        STEPS=evaluate bash training/run_round53.sh   (the gate, once, after training/demo_check.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
STEPS=${STEPS:-val}
OUT=training/results/round53
APP=training/results/round49/WA80.json
mkdir -p "$OUT"
[[ -f "$OUT/SL80.json" ]] || $PY -m training.aligned_split --one "$APP" --two training/results/round52/WL80.json \
  --out "$OUT/SL80.json"
STEPS=$STEPS OUT=$OUT NAME=SL80 TAG=SL_C1 REFERENCE_FROM=WA80:training/results/round49 REF_TAG=WA_C1 \
  REF_FILE=$APP bash training/run_candidate_gate.sh
