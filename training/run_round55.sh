#!/usr/bin/env bash
# Release 2.2, fifty-fifth round (MODEL_CARD): WG80's recipe fitted on more dev lists, most of them two-edit ones:
# 1,500 new v2 dev pairs per scene (mixing seed 11, seven in ten edited versions with two edits), cached with the
# exact graph, their first 80 candidates tabled apart from the other rounds' tables (so those reproduce); two
# candidates, WM80 (from round 42's seed networks, as WG80) and WN80 (from WG80's); the reference is the app, WG80.
# Usage: STEPS=data nohup nice -n 5 bash training/run_round55.sh > data/logs/round55_data.log 2>&1 &
#        STEPS=tables bash training/run_round55.sh     (the same: training/more_dev_set.sh does both, the new set's
#                                                       k80 table under data/pilots/aligned/k80_more)
#        STEPS="fit val" bash training/run_round55.sh  (WM80 and WN80: three fits each, their means; val tables)
#        STEPS=evaluate PICK=WM80|WN80 bash training/run_round55.sh  (the gate, once, after training/demo_check.sh)
# Every step skips finished work.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
STEPS=${STEPS:-"fit val"}
OUT=training/results/round55
MORE=data/pilots/aligned/k80_more
APP=training/results/round54/WG80.json
mkdir -p "$OUT"
has() { [[ " $STEPS " == *" $1 "* ]]; }

if has data || has tables; then  # the new pairs, their caches, per-patch evidence and first 80 candidates
  bash training/more_dev_set.sh r55 11 1500 "$MORE"
fi
if has fit; then  # WM80: from round 42's seed networks, as WG80; WN80: from WG80's own seed networks (round 54)
  STEPS=fit OUT=$OUT START=training/results/round42/w0.1_seed PREFIX=m NAME=WM80 TAG=WM_C1 \
    FIT_ARGS="--logit-features --more-dev $MORE" bash training/run_round50.sh
  STEPS=fit OUT=$OUT START=training/results/round54/g_seed PREFIX=n NAME=WN80 TAG=WN_C1 \
    FIT_ARGS="--logit-features --more-dev $MORE" bash training/run_round50.sh
fi
if has val || has evaluate; then  # against WG80's figures (round 54); evaluate: the gate, once, for PICK
  STEPS=$STEPS OUT=$OUT NAME="WM80 WN80" TAG="WM_C1 WN_C1" REFERENCE_FROM=WG80:training/results/round54 \
    REF_TAG=WG_C1 REF_FILE=$APP bash training/run_candidate_gate.sh
fi
