#!/usr/bin/env bash
# Release 2.2, fifty-sixth round (MODEL_CARD): the fifty-fifth round's recipe on still more dev lists: 3,000 more v2
# dev pairs per scene (mixing seed 12, seven in ten edited versions with two edits), tabled apart from round 55's
# new set.
# Usage: STEPS=data nohup nice -n 19 bash training/run_round56.sh > data/logs/round56_data.log 2>&1 &
#          (synthesis, descriptions, exact-graph caches, per-patch evidence, the k80 table in
#          data/pilots/aligned/k80_more56)
#        STEPS="fit val" REF=WG80:round54:WG_C1 bash training/run_round56.sh  (WP80: three fits and their mean; val
#          tables against REF, the app then: NAME:round folder:refine tag, e.g. WN80:round55:WN_C1)
#        STEPS=evaluate REF=... bash training/run_round56.sh  (the gate, once, after training/demo_check.sh)
# Every step skips finished work.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
STEPS=${STEPS:-"data"}
OUT=training/results/round56
MORE=data/pilots/aligned/k80_more56  # apart from round 55's folder, which its fits read whole
mkdir -p "$OUT"
has() { [[ " $STEPS " == *" $1 "* ]]; }

if has data; then
  bash training/more_dev_set.sh r56 12 3000 "$MORE"
fi
if has fit; then
  STEPS=fit OUT=$OUT START=training/results/round54/g_seed PREFIX=p NAME=WP80 TAG=WP_C1 \
    FIT_ARGS="--logit-features --more-dev data/pilots/aligned/k80_more --more-dev $MORE" bash training/run_round50.sh
fi
if has val || has evaluate; then  # against the app when val runs (REF); evaluate: the gate, once
  [[ -n ${REF:-} ]] || { echo "set REF=NAME:round folder:refine tag (the app)" >&2; exit 2; }
  IFS=: read -r ref_name ref_round ref_tag <<< "$REF"
  STEPS=$STEPS OUT=$OUT NAME=WP80 TAG=WP_C1 REFERENCE_FROM=$ref_name:training/results/$ref_round \
    REF_TAG=$ref_tag REF_FILE=training/results/$ref_round/$ref_name.json bash training/run_candidate_gate.sh
fi
