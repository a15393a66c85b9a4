#!/usr/bin/env bash
# Release 2.2, fifty-second round (MODEL_CARD): WL80, WA80's recipe (three fits from round 42's w0.1_seed<s> at
# L = 0.001, context input, folder weight 0.1, averaged, for every text) reading model.aligned_rerank.LEVEL_FEATURES
# too; their rows start at zero. The reference is the app, WA80, as measured by round 49.
# Usage: STEPS=tables bash training/run_round52.sh        (the k80 tables and folder lists rebuilt with every feature;
#                                                          the old ones moved to k80_r51 first, compared after)
#        STEPS="fit val" bash training/run_round52.sh     (three fits, their mean; R@1, two differences, folder, refine)
#        STEPS=evaluate bash training/run_round52.sh      (the gate, once, after training/demo_check.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
STEPS=${STEPS:-"fit val"}
has() { [[ " $STEPS " == *" $1 "* ]]; }

if has tables; then
  bash training/rebuild_k80_tables.sh data/pilots/aligned/k80_r51 training/results/round52/table_prefix.txt
fi
rest=${STEPS//tables/}
if [[ -n ${rest// /} ]]; then
  STEPS=$rest OUT=training/results/round52 START=training/results/round42/w0.1_seed PREFIX=l NAME=WL80 TAG=WL_C1 \
    FIT_ARGS=--level-features bash training/run_round50.sh
fi
