#!/usr/bin/env bash
# Release 2.2, forty-first round (MODEL_CARD): N80's recipe fitted on the dev lists and on searches in a folder of
# single recordings (the catalog's train split, training.folder_lists), folder weight w = 1 and 3, each the mean
# network of seeds 0, 1, 2; the reference is the app's reranker after the fortieth round (REFERENCE, default F60).
# Needs the k80 candidates (STEPS="tables build" bash training/run_round39.sh, after the round-31 data step), the val
# sets (training/run_val_data.sh) and the catalog; the gate also the eval sets (training/run_eval_data.sh).
# Usage: STEPS="lists fit mean" bash training/run_round41.sh   (the folder lists, six fits, two candidate files)
#        STEPS="val folder" bash training/run_round41.sh       (the rule's measures on val)
#        STEPS=evaluate PICK=W80_w1 bash training/run_round41.sh  (the gate, once; then training/demo_check.sh)
# Every step skips finished work; the val, folder and evaluate steps are training/run_round37.sh's.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
STEPS=${STEPS:-"lists fit mean"}
OUT=${OUT:-training/results/round41}
LISTS=data/pilots/aligned/k80/folder_train.pt
REFERENCE=${REFERENCE:-F60}
# shellcheck disable=SC2206
WEIGHTS=(${WEIGHTS:-1 3})  # training/run_round42.sh: 0.1 and 0.3
mkdir -p data/logs "$OUT"
has() { [[ " $STEPS " == *" $1 "* ]]; }

if has lists; then
  [[ -f $LISTS ]] || $PY -m training.folder_lists --split train --out "$LISTS"
fi
if has fit; then
  for w in "${WEIGHTS[@]}"; do
    for seed in 0 1 2; do
      [[ -f "$OUT/w${w}_seed$seed.json" ]] || $PY -m training.aligned_folder_fit --folder "$LISTS" --folder-weight "$w" \
        --seed "$seed" --out "$OUT/w${w}_seed$seed.json"
    done
  done
fi
if has mean; then
  for w in "${WEIGHTS[@]}"; do
    [[ -f "$OUT/W80_w$w.json" ]] || $PY -m training.aligned_ensemble --out "$OUT/W80_w$w.json" "$OUT"/w"${w}"_seed{0,1,2}.json
  done
fi
if has val || has folder || has evaluate; then  # the reference's val measures are those of the round that measured it
  from=training/results/round38
  [[ $REFERENCE == F60 ]] || from=training/results/round40
  REFERENCE_FROM=$REFERENCE:$from CANDIDATES="$REFERENCE ${WEIGHTS[*]/#/W80_w}" OUT=$OUT bash training/run_round37.sh
fi
