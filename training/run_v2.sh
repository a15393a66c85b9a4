#!/usr/bin/env bash
# Nudge v2 data pipeline (issue 12), step by step; each step resumes or skips finished work.
# Usage: nohup nice -n 10 bash training/run_v2.sh > data/logs/run_v2.log 2>&1 &
# STEPS selects a subset, e.g. STEPS="catalog" bash training/run_v2.sh
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
STEPS=${STEPS:-"catalog pairs describe ood cache train evaluate"}
mkdir -p data/logs
has() { [[ " $STEPS " == *" $1 "* ]]; }

# 1. catalog of every sound in the source packages: 16 kHz FLAC, YAMNet scores, labels, splits
#    -> data/catalog/{catalog.csv,classes.json,yamnet_scores.npz}, training/data/{provenance.tsv,catalog_summary.md}
if has catalog; then
  # legacy: YAMNet bit for bit as the CPUs that made the committed catalog (MODEL_CARD "Backbone arithmetic")
  OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 \
    $PY -m training.catalog --download --debs data/debs --out data/catalog --workers 2 --arithmetic legacy
fi

# 2. synthesized pairs over seven scenes (rain, traffic, forest, city_street, interior, seaside, isolated):
#    families of one clip a and 2-4 edited versions b, v2 mixer (training.mixer), FLAC + sidecar JSON
#    -> data/pairs_v2/<scene>/<split>/{pairs.csv,classes.txt,summary.json,audio/} (text columns empty:
#    the description step fills them)
if has pairs; then
  $PY -m training.pairs_v2 --catalog data/catalog --out data/pairs_v2 --seed 0 \
    --pairs-per-scene dev=1500,val=300,eval=300 --workers 2
fi

# 3. descriptions of every pair (training/wording.py; eval gets ~30% held-out phrasings)
if has describe; then
  $PY -m training.describe_pairs data/pairs_v2/*/*/pairs.csv
  $PY -m training.drop_silent_pairs data/pairs_v2/*/*/pairs.csv  # a silent mix cannot be embedded
fi

# 3b. more training pairs (for a later round; MODEL_CARD "Release 2.2, ninth round"): 3,000 more dev pairs per
#     scene from the same dev sources, another mixing seed; STEPS=extra, resumable
if has extra; then
  $PY -m training.pairs_v2 --catalog data/catalog --out data/pairs_v2_extra --seed 1 \
    --pairs-per-scene dev=3000 --workers 2
  $PY -m training.describe_pairs data/pairs_v2_extra/*/dev/pairs.csv
  $PY -m training.drop_silent_pairs data/pairs_v2_extra/*/dev/pairs.csv
  $PY -m training.feature_cache data/pairs_v2_extra/*/dev/pairs.csv --out-root data/features_v2_extra --workers 2
fi

# 4. the out-of-distribution set: ood packages only, its own mixer and phrasing bank (never for selection)
if has ood; then
  $PY -m training.ood.build --catalog data/catalog --out data/ood --pairs-per-scene 250
fi

# 5. frozen features once per clip / description (text clauses read by the modifier parser)
if has cache; then
  $PY -m training.feature_cache data/pairs_v2/*/*/pairs.csv --out-root data/features_v2 --workers 2
  $PY -m training.feature_cache data/ood/*/pairs.csv --out-root data/features_ood --workers 2
fi

# 6. candidate recipes, one model for all seven scenes (train: */dev, selection: */val); level
#    regression is off (it reads Scaper annotations, which v2 pairs do not have)
V2_MODELS=${V2_MODELS:-"v2_bg v2_scene v2_scene_reg v2_random"}
V2="--rho 1 --composer residual --text-clauses 2 --train data/features_v2/*/dev --val data/features_v2/*/val"
declare -A V2_FLAGS=(
  [v2_bg]="$V2 --batching background --batch-size 1024"
  [v2_scene]="$V2 --batching scene --batch-size 512"
  [v2_scene_reg]="$V2 --batching scene --batch-size 512 --input-dropout 0.3 --weight-decay 1e-4 --dropout 0.3"
  [v2_random]="$V2 --batching random --batch-size 256"
)
if has train; then
  for m in $V2_MODELS; do
    [ -f "runs/$m/summary.json" ] && continue  # trained already
    # shellcheck disable=SC2086
    $PY -m training.train --epochs 60 --patience 8 --seed 0 --threads 1 ${V2_FLAGS[$m]} \
      --out "runs/$m" > "data/logs/train_$m.log" 2>&1 &
  done
  wait
fi

# 7. the pick (rule fixed before evaluation, MODEL_CARD "Release 2"): lowest validation loss among the
#    rho = 1 recipes; then in- and out-of-distribution evaluation, the first release's Rain/Traffic eval
#    split, and the refine-loop benchmark, each against the heads shipped before this release
#    (OLD = the shipped assets/nudge_heads.safetensors: "release1" reads text with its joiner
#    split as it shipped, "release1_parser" through the modifier parser as the app now does)
if has evaluate; then
  PICK=$($PY -c "
import json, sys
runs = {m: json.load(open(f'runs/{m}/summary.json')) for m in sys.argv[1:]}
print(min((m for m in runs if runs[m]['args']['rho'] == 1), key=lambda m: runs[m]['val_metrics']['val_loss']))" $V2_MODELS)
  OLD=${OLD:-assets/nudge_heads.safetensors}
  MODELS="--model $PICK=runs/$PICK/heads.safetensors --model release1=$OLD --model release1_parser=$OLD --split-reader release1"
  echo "picked $PICK"
  # shellcheck disable=SC2086
  $PY -m training.evaluate $MODELS --eval data/features_v2/*/eval --out-dir training/results/v2_eval --umap ''
  # shellcheck disable=SC2086
  $PY -m training.evaluate $MODELS --eval data/features_ood/ood/* --out-dir training/results/v2_ood --umap ''
  # shellcheck disable=SC2086
  $PY -m training.evaluate $MODELS --eval data/features/rain/eval data/features/traffic/eval \
    --out-dir training/results/v2_release1_eval --umap ''
  for set in v2_eval:data/features_v2/*/eval v2_ood:data/features_ood/ood/*; do
    # shellcheck disable=SC2086
    $PY -m training.refine_bench $MODELS --eval ${set#*:} --out "training/results/${set%%:*}/refine.json"
  done
fi
