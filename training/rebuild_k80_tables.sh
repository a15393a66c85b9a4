#!/usr/bin/env bash
# The k80 candidate tables and folder lists rebuilt with every feature of model.aligned_rerank.ALL_FEATURES, the old
# ones moved aside first and compared after (rounds 52 and 54, MODEL_CARD).
# Usage: bash training/rebuild_k80_tables.sh OLD_DIR REPORT   (e.g. data/pilots/aligned/k80_r51 .../table_prefix.txt)
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
TABLES=data/pilots/aligned/k80
old=$1 report=$2
if [[ ! -d $old ]]; then mkdir -p "$old" && mv "$TABLES"/*.pt "$old"/; fi
$PY -m training.aligned_mlp build --k 80
[[ -f $TABLES/folder_train.pt ]] || $PY -m training.folder_lists --split train --out "$TABLES/folder_train.pt"
$PY -m training.pilots.table_prefix "$old" "$TABLES" | tee "$report"
