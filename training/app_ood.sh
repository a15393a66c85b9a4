#!/usr/bin/env bash
# The app as it runs (its heads, reranker and reader) on our OOD set, per scene, then the per-scene and per-difference
# table: bash training/app_ood.sh OUT (finished scenes are skipped; OUT/top1_family_app.md is the table).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
OUT=${1:?usage: bash training/app_ood.sh OUT_DIR}
mkdir -p "$OUT"
for scene in rain traffic forest city_street interior seaside isolated; do
  [ -s "$OUT/$scene.json" ] && continue
  data=$(mktemp -d)
  date -u +"%H:%M:%S start $scene"
  $PY main.py --data-dir "$data" evaluate "data/ood/$scene/pairs.csv" --json > "$OUT/$scene.json.part" 2> "$OUT/$scene.err"
  mv "$OUT/$scene.json.part" "$OUT/$scene.json"
  rm -rf "$data"
done
$PY -m training.top1_family_app data/ood/*/pairs.csv --ranks-dir "$OUT" > "$OUT/top1_family_app.md" 2>&1
date -u +"%H:%M:%S done"
