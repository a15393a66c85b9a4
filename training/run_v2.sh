#!/usr/bin/env bash
# Nudge v2 data pipeline (issue 12), step by step; each step resumes or skips finished work.
# Usage: nohup nice -n 10 bash training/run_v2.sh > data/logs/run_v2.log 2>&1 &
# STEPS selects a subset, e.g. STEPS="catalog" bash training/run_v2.sh
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
STEPS=${STEPS:-"catalog pairs"}
mkdir -p data/logs
has() { [[ " $STEPS " == *" $1 "* ]]; }

# 1. catalog of every sound in the source packages: 16 kHz FLAC, YAMNet scores, labels, splits
#    -> data/catalog/{catalog.csv,classes.json,yamnet_scores.npz}, training/data/{provenance.tsv,catalog_summary.md}
if has catalog; then
  $PY -m training.catalog --download --debs data/debs --out data/catalog --workers 2
fi

# 2. synthesized pairs over seven scenes (rain, traffic, forest, city_street, interior, seaside, isolated):
#    families of one clip a and 2-4 edited versions b, v2 mixer (training.mixer), FLAC + sidecar JSON
#    -> data/pairs_v2/<scene>/<split>/{pairs.csv,classes.txt,summary.json,audio/} (text columns empty:
#    the description step fills them)
if has pairs; then
  $PY -m training.pairs_v2 --catalog data/catalog --out data/pairs_v2 --seed 0 \
    --pairs-per-scene dev=3000,val=300,eval=300 --workers 2
fi
