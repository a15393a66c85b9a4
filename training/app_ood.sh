#!/usr/bin/env bash
# The app as it runs (its heads, reranker and reader) on our OOD set, per scene, then the per-scene and per-difference
# table: bash training/app_ood.sh OUT (finished scenes are skipped; OUT/top1_family_app.md is the table).
# Other sets: bash training/app_ood.sh OUT data/pairs_v2/*/eval/pairs.csv (one pairs file per scene; the scene is
# the folder's name, or its parent's when the folder is a split).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
OUT=${1:?usage: bash training/app_ood.sh OUT_DIR [PAIRS.csv ...]}
shift
pairs=("$@")
(( ${#pairs[@]} )) || pairs=(data/ood/*/pairs.csv)
mkdir -p "$OUT"
for csv in "${pairs[@]}"; do
  folder=$(dirname "$csv")
  case $(basename "$folder") in train|dev|val|eval) scene=$(basename "$(dirname "$folder")") ;; *) scene=$(basename "$folder") ;; esac
  [ -s "$OUT/$scene.json" ] && continue
  data=$(mktemp -d)
  date -u +"%H:%M:%S start $scene"
  $PY main.py --data-dir "$data" evaluate "$csv" --json > "$OUT/$scene.json.part" 2> "$OUT/$scene.err"
  mv "$OUT/$scene.json.part" "$OUT/$scene.json"
  rm -rf "$data"
done
$PY -m training.top1_family_app "${pairs[@]}" --ranks-dir "$OUT" > "$OUT/top1_family_app.md" 2>&1
date -u +"%H:%M:%S done"
