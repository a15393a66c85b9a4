#!/usr/bin/env bash
# The evaluation data on a fresh machine, as the committed results used it: the source catalog bit for bit
# (YAMNet as the CPUs without VNNI that made it ran: MODEL_CARD "Backbone arithmetic"), the
# out-of-distribution set, the v2 eval split and the first release's eval split, with their feature caches;
# then the shipped heads evaluated on them (compare with a round's `shipped` column).
# Usage: nohup nice -n 10 bash training/run_eval_data.sh > data/logs/eval_data.log 2>&1 &
# Every step resumes or skips finished work; STEPS selects a subset, e.g. STEPS="check" bash training/run_eval_data.sh;
# STEPS=exactcache caches the sets again with exact YAMNet arithmetic (data/features*_exact).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
STEPS=${STEPS:-"catalog ood v2eval r1eval check"}
OUT=${OUT:-training/results/arithmetic_check}
# the committed check (training/results/arithmetic_check) is S2's, the heads shipped until the twenty-eighth round,
# which run the app's first graph as these caches do; the shipped heads (exact graph) are evaluated on the exact
# caches by training/run_round14.sh (STEPS=evaluate, MODEL_CARD "twenty-eighth round")
HEADS=${HEADS:-data/S2.safetensors}
export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1  # the legacy YAMNet's numpy runs one thread per worker
mkdir -p data/logs
has() { [[ " $STEPS " == *" $1 "* ]]; }
source training/eval_sets.sh

if has catalog; then
  $PY -m training.catalog --download --debs data/debs --out data/catalog --workers 2 --arithmetic legacy
fi
if has ood; then
  $PY -m training.ood.build --catalog data/catalog --out data/ood --pairs-per-scene 250
  $PY -m training.feature_cache data/ood/*/pairs.csv --out-root data/features_ood --workers 2
fi
if has v2eval; then  # pairs_v2 draws each split on its own, so eval alone gives the same pairs
  $PY -m training.pairs_v2 --catalog data/catalog --out data/pairs_v2 --seed 0 --pairs-per-scene eval=300 --workers 2
  $PY -m training.describe_pairs data/pairs_v2/*/eval/pairs.csv
  $PY -m training.drop_silent_pairs data/pairs_v2/*/eval/pairs.csv
  $PY -m training.feature_cache data/pairs_v2/*/eval/pairs.csv --out-root data/features_v2 --workers 2
fi
if has r1eval; then  # the first release's eval split (its sources are split without YAMNet)
  $PY -m training.fetch_sources
  $PY -m training.prepare_sources --seed 0
  $PY -m training.synthesize_pairs --scene all --split eval --n-pairs 1000 --seed 0 --workers 2
  $PY -m training.feature_cache data/pairs/rain/eval/pairs.csv data/pairs/traffic/eval/pairs.csv --workers 2
fi
if has exactcache; then  # the same sets cached with YAMNet's every layer exact (heads trained on exact features)
  $PY -m training.feature_cache data/ood/*/pairs.csv --out-root data/features_ood_exact --arithmetic exact --workers 2
  $PY -m training.feature_cache data/pairs_v2/*/eval/pairs.csv --out-root data/features_v2_exact --arithmetic exact \
    --workers 2
  $PY -m training.feature_cache data/pairs/rain/eval/pairs.csv data/pairs/traffic/eval/pairs.csv \
    --out-root data/features_exact --arithmetic exact --workers 2
fi
if has check; then
  [ -f "$HEADS" ] || git show 5949b34:assets/nudge_heads.safetensors > "$HEADS"
  evaluate_sets "--model shipped=$HEADS" "$OUT"
fi
