#!/usr/bin/env bash
# Release 2.2, fiftieth round (MODEL_CARD): WB80, three fits started from WA80's seed networks
# (training/results/round47/a0.001_seed<s>.json) at L = 0.001, averaged, for every text; the reference is the app
# now, WA80, as measured by round 49. training/run_round51.sh and run_round52.sh run it with their own START, PREFIX, NAME, OUT (and FIT_ARGS).
# Usage: STEPS="fit val" bash training/run_round50.sh   (three fits, their mean; R@1, two differences, folder, refine)
#        STEPS=evaluate bash training/run_round50.sh    (the gate, once, after training/demo_check.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
STEPS=${STEPS:-"fit val"}
OUT=${OUT:-training/results/round50}
START=${START:-training/results/round47/a0.001_seed}  # + <seed>.json: the networks each fit starts from
PREFIX=${PREFIX:-b}  # the fits: $OUT/<PREFIX>_seed<s>.json
NAME=${NAME:-WB80} TAG=${TAG:-WB_C1}  # their mean, and its name in the refine tables
FIT_ARGS=${FIT_ARGS:-}  # more options for every fit (round 52: --level-features)
LISTS=${LISTS:-data/pilots/aligned/k80/folder_train.pt}  # the folder lists the fits read
APP=training/results/round49/WA80.json
mkdir -p "$OUT"
has() { [[ " $STEPS " == *" $1 "* ]]; }

fit_one() {  # seed
  local out=$OUT/${PREFIX}_seed$1.json
  [[ -f "$out" ]] || $PY -m training.aligned_folder_fit --folder "$LISTS" --folder-weight 0.1 --context \
    --start "$START$1.json" --anchor 0.001 --seed "$1" $FIT_ARGS --out "$out"
}
if has fit; then
  fit_one 0 & fit_one 1 & wait
  fit_one 2
  [[ -f "$OUT/$NAME.json" ]] || $PY -m training.aligned_ensemble --out "$OUT/$NAME.json" \
    "$OUT/${PREFIX}"_seed{0,1,2}.json
fi
if has val || has evaluate; then  # as round 49, against WA80's figures (evaluate: the gate, once)
  STEPS=$STEPS OUT=$OUT NAME=$NAME TAG=$TAG REFERENCE_FROM=WA80:training/results/round49 REF_TAG=WA_C1 \
    REF_FILE=$APP bash training/run_candidate_gate.sh
fi
