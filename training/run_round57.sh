#!/usr/bin/env bash
# Release 2.2, fifty-seventh round (MODEL_CARD): WN80's recipe with each two-edit dev list counted twice in the loss
# (training.aligned_folder_fit --two-edit-weight 2): WT80, the mean of three fits from round 54's seed networks on
# the old dev lists and round 55's; the reference is the app, WN80 (its val figures from round 55).
# Usage: STEPS="fit val" nohup nice -n 5 bash training/run_round57.sh > data/logs/round57.log 2>&1 &
#        STEPS=evaluate bash training/run_round57.sh   (the gate, once, after training/demo_check.sh)
# Every step skips finished work.
set -euo pipefail
cd "$(dirname "$0")/.."
STEPS=${STEPS:-"fit val"}
OUT=training/results/round57
mkdir -p "$OUT"
has() { [[ " $STEPS " == *" $1 "* ]]; }

if has fit; then
  STEPS=fit OUT=$OUT START=training/results/round54/g_seed PREFIX=t NAME=WT80 TAG=WT_C1 \
    FIT_ARGS="--logit-features --more-dev data/pilots/aligned/k80_more --two-edit-weight 2" \
    bash training/run_round50.sh
fi
if has val || has evaluate; then  # against WN80's val figures (round 55); evaluate: the gate, once
  STEPS=$STEPS OUT=$OUT NAME=WT80 TAG=WT_C1 REFERENCE_FROM=WN80:training/results/round55 \
    REF_TAG=WN_C1 REF_FILE=training/results/round55/WN80.json bash training/run_candidate_gate.sh
fi
