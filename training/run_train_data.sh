#!/usr/bin/env bash
# The training data of the fine-tuning rounds on a fresh machine (MODEL_CARD "Reproduce"): every dev set the
# thirteenth round trained on, the unused extra3 sets, and fresh val splits (fresh3) for a next round; then
# their feature caches under one YAMNet arithmetic. Audio does not depend on the arithmetic, caches do.
# Usage: ARITH=pairsat1 nohup nice -n 10 bash training/run_train_data.sh > data/logs/train_data.log 2>&1 &
# STEPS selects a subset of "pairs cache"; every step resumes or skips finished work. Sets are made in
# order of use (the first-release dev sets first: the first release's eval split gates every ship; the v2 dev
# base comes from run_v2.sh), so a stopped run leaves the most useful ones complete.
# Seeds as in training/run_more_pairs.sh: v2 dev 0 (run_v2.sh), 1, 3, 5; first-release dev 0, 1, 2, 3;
# val splits: v2 0, 2, 4, 6 (fresh3); first-release 0, 1, 2, 3 (fresh3).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
STEPS=${STEPS:-"pairs cache"}
ARITH=${ARITH:-pairsat1}  # or exact (an experiment: MODEL_CARD "Backbone arithmetic")
R1=${R1:-data/finetune}
mkdir -p data/logs
has() { [[ " $STEPS " == *" $1 "* ]]; }
# the app's arithmetic keeps the folder names the rounds used; another one gets its own suffix
SUFFIX=$([ "$ARITH" = pairsat1 ] && echo "" || echo "_$ARITH")

r1_dev() {  # folder seed: 6,000 first-release dev pairs per scene
  $PY -m training.synthesize_pairs --scene all --split dev --n-pairs 6000 --seed "$2" --workers 2 --out "$R1/$1"
}
r1_val() {  # folder seed: 1,000 first-release val pairs per scene
  $PY -m training.synthesize_pairs --scene all --split val --n-pairs 1000 --seed "$2" --workers 2 --out "$R1/$1"
}
v2_set() {  # tag seed split=count: v2 pairs from the catalog's dev or val sources, described, silent mixes dropped
  local split=${3%%=*}
  $PY -m training.pairs_v2 --catalog data/catalog --out "data/pairs_v2_$1" --seed "$2" --pairs-per-scene "$3" --workers 2
  $PY -m training.describe_pairs "data/pairs_v2_$1"/*/"$split"/pairs.csv
  $PY -m training.drop_silent_pairs "data/pairs_v2_$1"/*/"$split"/pairs.csv
}
if has pairs; then
  r1_dev pairs_r1 0
  r1_dev pairs_r1_extra 1
  v2_set fresh3 6 val=300
  r1_val pairs_r1_fresh3 3
  v2_set extra 1 dev=3000
  v2_set extra2 3 dev=3000
  r1_dev pairs_r1_extra2 2
  v2_set extra3 5 dev=3000
  r1_dev pairs_r1_extra3 3
fi

cache() {  # out-root pairs.csv...
  local root=$1; shift
  $PY -m training.feature_cache "$@" --out-root "$root" --arithmetic "$ARITH" --workers 2
}
if has cache; then
  cache "data/features_v2$SUFFIX" data/pairs_v2/*/dev/pairs.csv data/pairs_v2/*/val/pairs.csv
  cache "data/features$SUFFIX" data/pairs/*/val/pairs.csv
  for tag in pairs_r1 pairs_r1_extra pairs_r1_fresh3 pairs_r1_extra2 pairs_r1_extra3; do
    if [ -d "$R1/$tag" ]; then cache "$R1/features${tag#pairs}$SUFFIX" "$R1/$tag"/*/*/pairs.csv; fi
  done
  for tag in extra fresh3 extra2 extra3; do
    if [ -d "data/pairs_v2_$tag" ]; then cache "data/features_v2_$tag$SUFFIX" "data/pairs_v2_$tag"/*/*/pairs.csv; fi
  done
fi
