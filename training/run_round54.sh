#!/usr/bin/env bash
# Release 2.2, fifty-fourth round (MODEL_CARD): WG80, WA80's recipe reading LEVEL_FEATURES and LOGIT_FEATURES
# (three fits from round 42's w0.1_seed<s> at L = 0.001, context input, folder weight 0.1, averaged), for every
# text, and SG80, one file holding WA80 for one-edit texts and WG80 for two; the reference is the app, SL80
# (round 53).
# Usage: STEPS=tables bash training/run_round54.sh     (the k80 tables and folder lists rebuilt with every feature;
#                                                       round 52's moved to k80_r53 first, compared after)
#        STEPS="fit val" bash training/run_round54.sh  (three fits, their mean, the split file; val tables of both)
#        STEPS=evaluate PICK=WG80|SG80 bash training/run_round54.sh  (the gate, once, after training/demo_check.sh;
#                                                                    PICK is read by training/run_candidate_gate.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
STEPS=${STEPS:-"fit val"}
OUT=training/results/round54
APP=training/results/round53/SL80.json
mkdir -p "$OUT"
has() { [[ " $STEPS " == *" $1 "* ]]; }

if has tables; then
  bash training/rebuild_k80_tables.sh data/pilots/aligned/k80_r53 "$OUT/table_prefix.txt"
fi
if has fit; then
  STEPS=fit OUT=$OUT START=training/results/round42/w0.1_seed PREFIX=g NAME=WG80 TAG=WG_C1 \
    FIT_ARGS=--logit-features bash training/run_round50.sh
  [[ -f "$OUT/SG80.json" ]] || $PY -m training.aligned_split --one training/results/round49/WA80.json \
    --two "$OUT/WG80.json" --out "$OUT/SG80.json"
fi
if has val || has evaluate; then  # against SL80's figures (round 53); evaluate: the gate, once, for PICK
  STEPS=$STEPS OUT=$OUT NAME="WG80 SG80" TAG="WG_C1 SG_C1" REFERENCE_FROM=SL80:training/results/round53 \
    REF_TAG=SL_C1 REF_FILE=$APP bash training/run_candidate_gate.sh
fi
