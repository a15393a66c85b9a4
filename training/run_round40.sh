#!/usr/bin/env bash
# Release 2.2, fortieth round (MODEL_CARD): N80's recipe (the thirty-ninth round) fitted with seeds 0, 1 and 2,
# their mean network E80 at evidence scales 1 / 0.85 / 0.7 / 0.5; F60 is the reference.
# Needs the k80 candidates (STEPS="tables build" bash training/run_round39.sh, after the round-31 data step), the val
# sets (training/run_val_data.sh) and the catalog; the gate also the eval sets (training/run_eval_data.sh).
# Usage: STEPS="fit mean" bash training/run_round40.sh        (the three fits and the four candidate files)
#        STEPS="val folder" bash training/run_round40.sh      (the rule's measures on val)
#        STEPS=evaluate PICK=E80_s70 bash training/run_round40.sh  (the gate, once; then training/demo_check.sh)
# Every step skips finished work; the val, folder and evaluate steps are training/run_round37.sh's.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
STEPS=${STEPS:-"fit mean"}
OUT=training/results/round40
SCALES=(100 85 70 50)
mkdir -p data/logs "$OUT"
has() { [[ " $STEPS " == *" $1 "* ]]; }

if has fit; then
  for seed in 0 1 2; do
    [[ -f "$OUT/seed$seed.json" ]] || $PY -m training.aligned_mlp deep --k 80 --use 80 --tolerance 0.3 --floor 0.1 \
      --seed "$seed" --out "$OUT/seed$seed.json"
  done
fi
if has mean; then
  for scale in "${SCALES[@]}"; do
    [[ -f "$OUT/E80_s$scale.json" ]] || $PY -m training.aligned_ensemble --scale "$(printf '%d.%02d' $((scale / 100)) \
      $((scale % 100)))" --out "$OUT/E80_s$scale.json" "$OUT"/seed{0,1,2}.json
  done
fi
if has val || has folder || has evaluate; then  # F60's val measures are the thirty-eighth round's
  REFERENCE_FROM=F60:training/results/round38 CANDIDATES="F60 ${SCALES[*]/#/E80_s}" OUT=$OUT bash training/run_round37.sh
fi
