#!/usr/bin/env bash
# A val-only diagnostic (MODEL_CARD "Exact arithmetic, a val-only diagnostic"): does YAMNet with every layer
# added exactly give better heads than the app's graph (pairsat1), trained the same way on the same pairs?
# Release 2's v2_scene recipe from scratch on the v2 dev pairs, seeds 0-2, once per arithmetic; scored on the
# v2 val split and the first release's val split, each cached under the run's own arithmetic. Never a candidate.
# Usage: nohup nice -n 5 bash training/run_exact_diag.sh > data/logs/exact_diag.log 2>&1 &
# STEPS selects a subset of "cache train score"; each step skips finished work.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
STEPS=${STEPS:-"cache train score"}
PARALLEL=${PARALLEL:-2}
RUNS=${RUNS:-runs/exact_diag}
OUT=${OUT:-training/results/exact_diag}
mkdir -p data/logs "$RUNS" "$OUT"
has() { [[ " $STEPS " == *" $1 "* ]]; }
# arithmetic -> (v2 feature root, first-release feature root)
declare -A V2_ROOT=([pairsat1]=data/features_v2 [exact]=data/features_v2_exact)
declare -A R1_ROOT=([pairsat1]=data/features [exact]=data/features_exact)

if has cache; then
  for arith in pairsat1 exact; do
    $PY -m training.feature_cache data/pairs_v2/*/dev/pairs.csv data/pairs_v2/*/val/pairs.csv \
      --out-root "${V2_ROOT[$arith]}" --arithmetic "$arith" --workers 2
    $PY -m training.feature_cache data/pairs/*/val/pairs.csv --out-root "${R1_ROOT[$arith]}" \
      --arithmetic "$arith" --workers 2
  done
fi

RECIPE="--rho 1 --composer residual --text-clauses 2 --batching scene --batch-size 512 --epochs 60 --patience 8"
if has train; then
  for arith in pairsat1 exact; do
    for seed in 0 1 2; do
      run=$RUNS/${arith}_s$seed
      [ -f "$run/summary.json" ] && continue
      while [ "$(jobs -rp | wc -l)" -ge "$PARALLEL" ]; do sleep 5; done
      # shellcheck disable=SC2086
      $PY -m training.train $RECIPE --seed "$seed" --threads 1 --train "${V2_ROOT[$arith]}"/*/dev \
        --val "${V2_ROOT[$arith]}"/*/val --out "$run" > "data/logs/exact_diag_${arith}_s$seed.log" 2>&1 &
    done
  done
  wait
fi

if has score; then
  for arith in pairsat1 exact; do
    M=""
    for seed in 0 1 2; do M="$M --model ${arith}_s$seed=$RUNS/${arith}_s$seed/heads.safetensors"; done
    # shellcheck disable=SC2086
    $PY -m training.evaluate $M --eval "${V2_ROOT[$arith]}"/*/val --out-dir "$OUT/$arith/v2_val" --umap ''
    # shellcheck disable=SC2086
    $PY -m training.evaluate $M --eval "${R1_ROOT[$arith]}"/*/val --out-dir "$OUT/$arith/release1_val" --umap ''
  done
  $PY -m training.exact_diag_tables "$OUT" | tee "$OUT/summary.md"
fi
