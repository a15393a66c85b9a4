#!/usr/bin/env bash
# Release 2.1, edit-aware scoring (MODEL_CARD "Release 2.1"): YAMNet class scores of the clips, the probe
# per heads, the selection on v2 val, then one evaluation on v2 eval, OOD, the first release's eval split,
# the refine loop and the demo. Each step is resumable or quick; run it in the background:
#   nohup nice -n 10 bash training/run_rerank.sh > data/logs/run_rerank.log 2>&1 &
# STEPS="scores probe tune eval" by default; HEADS_SET="shipped v2_scene".
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
OUT=training/results/rerank
SCORES=data/rerank/scores
STEPS=${STEPS:-"scores probe tune eval"}
HEADS_SET=${HEADS_SET:-"shipped v2_scene"}
declare -A HEADS=([shipped]=assets/nudge_heads.safetensors
                  [v2_scene]=training/results/v2_candidates/v2_scene_heads.safetensors)
mkdir -p "$OUT" data/logs

has() { [[ " $STEPS " == *" $1 "* ]]; }

if has scores; then
  $PY -m training.class_score_cache data/features_v2/*/val --out $SCORES
  $PY -m training.class_score_cache data/features_v2/*/dev --limit 600 --out $SCORES
fi
for name in $HEADS_SET; do
  heads=${HEADS[$name]}
  probe=data/rerank/edit_probe_$name.safetensors
  if has probe; then
    $PY -m training.edit_probe fit --heads "$heads" --fit data/features_v2/*/dev --held-out data/features_v2/*/val \
      --out "$probe" > "$OUT/probe_$name.txt"
  fi
  if has tune; then
    $PY -m training.rerank_bench tune --heads "$heads" --probe "$probe" --val data/features_v2/*/val \
      --out "$OUT/tune_$name.json"
    $PY -m training.edit_probe set --probe "$probe" --tune "$OUT/tune_$name.json" --out "$probe"
  fi
  if has eval; then
    $PY -m training.evaluate --model "$name=$heads" --probe "$name=$probe" --umap "" \
      --eval data/features_v2/*/eval --out-dir "$OUT/v2_eval_$name"
    $PY -m training.evaluate --model "$name=$heads" --probe "$name=$probe" --umap "" \
      --eval data/features_ood/ood/* --out-dir "$OUT/ood_$name"
    $PY -m training.evaluate --model "$name=$heads" --probe "$name=$probe" --umap "" \
      --eval data/features/rain/eval data/features/traffic/eval --out-dir "$OUT/release1_eval_$name"
    $PY -m training.refine_bench --model "$name=$heads" --probe "$name=$probe" --eval data/features_v2/*/eval \
      --out "$OUT/v2_eval_$name/refine.json"
    $PY -m training.refine_bench --model "$name=$heads" --probe "$name=$probe" --eval data/features_ood/ood/* \
      --out "$OUT/ood_$name/refine.json"
  fi
done
if has eval; then
  : # demo_shipped.json was measured through the service wiring of commit 3be54e8 (rerank_bench demo),
  # which is not in the app: run that commit's script to reproduce it.
fi
