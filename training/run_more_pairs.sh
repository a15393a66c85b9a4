#!/usr/bin/env bash
# More dev pairs in both domains for a later round, from the same dev sources with new mixing seeds; resumable.
# Usage: TAG=extra3 V2_SEED=5 R1_SEED=3 nohup nice -n 19 bash training/run_more_pairs.sh > data/logs/more_extra3.log 2>&1 &
# -> data/features_v2_$TAG/<scene>/dev (V2_PAIRS per scene) and data/finetune/features_r1_$TAG/{rain,traffic}/dev
#    (R1_PAIRS per scene). Seeds used so far: v2 dev 0, 1, 3 (val 0, 2, 4); first-release dev 0, 1, 2 (val 0, 1, 2).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
: "${TAG:?TAG names the folders, e.g. extra3}" "${V2_SEED:?}" "${R1_SEED:?}"
V2_PAIRS=${V2_PAIRS:-3000} R1_PAIRS=${R1_PAIRS:-6000} R1=${R1:-data/finetune}
mkdir -p data/logs
[ -f "$R1/features_r1_$TAG/traffic/dev/audio.npy" ] || {
  $PY -m training.synthesize_pairs --scene all --split dev --n-pairs "$R1_PAIRS" --seed "$R1_SEED" --workers 2 \
    --out "$R1/pairs_r1_$TAG"
  $PY -m training.feature_cache "$R1/pairs_r1_$TAG"/*/dev/pairs.csv --out-root "$R1/features_r1_$TAG" --workers 2
}
$PY -m training.pairs_v2 --catalog data/catalog --out "data/pairs_v2_$TAG" --seed "$V2_SEED" \
  --pairs-per-scene "dev=$V2_PAIRS" --workers 2
$PY -m training.describe_pairs "data/pairs_v2_$TAG"/*/dev/pairs.csv
$PY -m training.drop_silent_pairs "data/pairs_v2_$TAG"/*/dev/pairs.csv
$PY -m training.feature_cache "data/pairs_v2_$TAG"/*/dev/pairs.csv --out-root "data/features_v2_$TAG" --workers 2
