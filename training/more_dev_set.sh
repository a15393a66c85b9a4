#!/usr/bin/env bash
# More v2 dev pairs for the reranker's fits (rounds 55-56, MODEL_CARD): synthesized from the catalog's dev sources,
# described, silent mixes dropped, cached with the exact graph, per-patch evidence, and their pairs' first 80
# candidates tabled into a folder of their own (read by training.aligned_folder_fit --more-dev).
# Usage: bash training/more_dev_set.sh TAG SEED PAIRS_PER_SCENE TABLES_DIR
#        (round 55: r55 11 1500 data/pilots/aligned/k80_more)
# Seven in ten edited versions have two edits. Every step skips finished work.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
(( $# == 4 )) || { echo "usage: $0 TAG SEED PAIRS_PER_SCENE TABLES_DIR" >&2; exit 2; }
tag=$1 seed=$2 count=$3 tables=$4
pairs=data/pairs_v2_$tag features=data/features_v2_${tag}_exact

$PY -m training.pairs_v2 --catalog data/catalog --out "$pairs" --seed "$seed" --pairs-per-scene "dev=$count" \
  --two-edit-share 0.7 --workers 2
$PY -m training.describe_pairs "$pairs"/*/dev/pairs.csv
$PY -m training.drop_silent_pairs "$pairs"/*/dev/pairs.csv
$PY -m training.feature_cache "$pairs"/*/dev/pairs.csv --out-root "$features" --arithmetic exact --workers 2
$PY -m training.aligned_evidence "$features"/*/dev
[[ -f "$tables/features_v2_${tag}_exact_dev.pt" ]] || $PY -m training.aligned_mlp build --k 80 \
  --more-dev "$features/*/dev" --into "$tables"
