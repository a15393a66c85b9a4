#!/usr/bin/env bash
# Release 2.2, thirty-sixth round (MODEL_CARD): the shipped reranker E64 with a length gate, T = 0.02 / 0.1 / 0.3.
# Needs the val sets (training/run_val_data.sh) and the catalog; the gate also the eval sets
# (training/run_eval_data.sh, with STEPS=exactcache).
# Usage: STEPS="val folder" bash training/run_round36.sh   (the rule's measures on val, every candidate)
#        STEPS=evaluate PICK=G10 bash training/run_round36.sh  (the gate, once; then training/demo_check.sh)
# Every step skips finished work.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
STEPS=${STEPS:-"val folder"}
OUT=${OUT:-training/results/round36}
HEADS=assets/nudge_heads.safetensors
mkdir -p data/logs "$OUT"
has() { [[ " $STEPS " == *" $1 "* ]]; }
weights() { [[ $1 == E64 ]] && echo training/results/round35/E64.json || echo "$OUT/$1.json"; }
CANDIDATES=(E64 G02 G10 G30)
VAL=(v2_val:data/features_v2_fresh3_exact/*/val release1_val:data/finetune/features_r1_fresh3_exact/*/val
     demo_val:data/features_demo_fam_exact/*/val)

if has val; then  # R@1 with text on each val split, every candidate through training.evaluate --rerank
  for name in "${CANDIDATES[@]}"; do
    for set in "${VAL[@]}"; do
      dir="$OUT/val/$name/${set%%:*}"
      [[ -f "$dir/results.json" ]] && continue
      mkdir -p "$dir"
      # shellcheck disable=SC2086
      $PY -m training.evaluate --model "shipped=$HEADS" --rerank "$(weights "$name")" --eval ${set#*:} \
        --out-dir "$dir" --umap '' > "$dir/log.txt" 2>&1
    done
  done
fi
if has folder; then  # the catalog's val-split folder of single recordings, every candidate
  mkdir -p "$OUT/val_folder"
  for name in "${CANDIDATES[@]}"; do
    f="$OUT/val_folder/$name.txt"
    [[ -s $f ]] || { $PY -m bench.bench_real_folder --split val --rerank "$(weights "$name")" > "$f.tmp" && mv "$f.tmp" "$f"; }
  done
fi
if has evaluate; then  # the gate, once: held-out tables, then E64 and the pick side by side; the eval folder
  : "${PICK:?set PICK to the pick of the rule}"
  $PY -m training.aligned_evidence data/features_v2_exact/*/eval data/features_ood_exact/ood/* \
    data/features_exact/*/eval
  source training/eval_sets.sh
  for tag in E64 pick; do
    name=$tag; [[ $tag == pick ]] && name=$PICK
    evaluate_sets "--model shipped=$HEADS --rerank $(weights "$name")" "$OUT/$tag" _exact
    f="$OUT/eval_folder_$tag.txt"
    [[ -s $f ]] || { $PY -m bench.bench_real_folder --split eval --rerank "$(weights "$name")" > "$f.tmp" && mv "$f.tmp" "$f"; }
  done
fi
