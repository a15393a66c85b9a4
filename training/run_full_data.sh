#!/usr/bin/env bash
# Full data build: fetch Debian sources, prepare/split them, synthesize all pairs.
# Usage: nohup nice -n 10 bash training/run_full_data.sh > data/logs/full_data.log 2>&1 &
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
WORKERS=${WORKERS:-2}
SEED=${SEED:-0}
N_DEV=${N_DEV:-10000}
N_VAL=${N_VAL:-1000}
N_EVAL=${N_EVAL:-1000}
N_DEV_EXTRA=${N_DEV_EXTRA:-5000}  # more dev pairs (seed + 1) in data/pairs_extra, for the more_* runs
N_DEV_EXTRA2=${N_DEV_EXTRA2:-5000}  # and again (seed + 2) in data/pairs_extra2, for the most_* runs
mkdir -p data/logs
$PY -m training.fetch_sources
$PY -m training.prepare_sources --seed "$SEED"
for split_n in "eval:$N_EVAL" "val:$N_VAL" "dev:$N_DEV"; do
  split=${split_n%%:*}; n=${split_n##*:}
  $PY -m training.synthesize_pairs --scene all --split "$split" --n-pairs "$n" \
      --seed "$SEED" --workers "$WORKERS"
done
$PY -m training.synthesize_pairs --scene all --split dev --n-pairs "$N_DEV_EXTRA" \
    --seed "$((SEED + 1))" --workers "$WORKERS" --out data/pairs_extra
$PY -m training.synthesize_pairs --scene all --split dev --n-pairs "$N_DEV_EXTRA2" \
    --seed "$((SEED + 2))" --workers "$WORKERS" --out data/pairs_extra2
echo "[full] done"
