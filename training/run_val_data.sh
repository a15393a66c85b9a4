#!/usr/bin/env bash
# The reranker rounds' three val sets on a fresh machine (MODEL_CARD, thirty-third to thirty-fifth rounds): the v2
# fresh3 val split, the first release's fresh3 val split and the demo-design val families, cached with the exact
# YAMNet graph, and their per-patch tables (training.aligned_evidence). Needs the catalog and the first release's
# sources (training/run_eval_data.sh, steps catalog and r1eval).
# Usage: nohup nice -n 10 bash training/run_val_data.sh > data/logs/val_data.log 2>&1 &
# Every step resumes or skips finished work; STEPS selects a subset of "pairs cache tables".
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
STEPS=${STEPS:-"pairs cache tables"}
mkdir -p data/logs
has() { [[ " $STEPS " == *" $1 "* ]]; }
cache() { local root=$1; shift; $PY -m training.feature_cache "$@" --out-root "$root" --arithmetic exact --workers 2; }

if has pairs; then  # seeds as training/run_train_data.sh (fresh3) and MODEL_CARD "Reproduce" (demo families)
  $PY -m training.pairs_v2 --catalog data/catalog --out data/pairs_v2_fresh3 --seed 6 --pairs-per-scene val=300 \
    --workers 2
  $PY -m training.describe_pairs data/pairs_v2_fresh3/*/val/pairs.csv
  $PY -m training.drop_silent_pairs data/pairs_v2_fresh3/*/val/pairs.csv
  $PY -m training.synthesize_pairs --scene all --split val --n-pairs 1000 --seed 3 --workers 2 \
    --out data/finetune/pairs_r1_fresh3
  $PY -m training.demo_families --split val --n-families 150 --seed 0 --workers 2 --out data/demo_fam
fi
if has cache; then
  cache data/features_v2_fresh3_exact data/pairs_v2_fresh3/*/val/pairs.csv
  cache data/finetune/features_r1_fresh3_exact data/finetune/pairs_r1_fresh3/*/val/pairs.csv
  cache data/features_demo_fam_exact data/demo_fam/*/val/pairs.csv
fi
if has tables; then
  $PY -m training.aligned_evidence data/features_v2_fresh3_exact/*/val data/finetune/features_r1_fresh3_exact/*/val \
    data/features_demo_fam_exact/*/val
fi
