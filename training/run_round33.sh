#!/usr/bin/env bash
# Release 2.2, thirty-third round (MODEL_CARD): rerank the first K results by the edits read patch by patch.
# The feature caches are those of rounds 31 and earlier (run_round31.sh's data step, run_eval_data.sh).
# Usage: STEPS="tables fit" bash training/run_round33.sh   (val figures of candidates A, B, C: the rule picks;
#        STEPS=fit34: the thirty-fourth round's candidate D, in training/results/round34)
#        STEPS=evaluate PICK=B bash training/run_round33.sh  (the gate, once; then training/demo_check.sh)
# Every step skips finished work.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
STEPS=${STEPS:-"tables fit"}
OUT=${OUT:-training/results/round33}
HEADS=assets/nudge_heads.safetensors
mkdir -p data/logs "$OUT"
has() { [[ " $STEPS " == *" $1 "* ]]; }

V2_DEV=(data/features_v2_r31_exact/*/dev)
ALL_DEV=("${V2_DEV[@]}" data/finetune/features_r1_r31_exact/*/dev data/features_demo_fam_exact/*/dev)
VAL=(data/features_v2_fresh3_exact/*/val data/finetune/features_r1_fresh3_exact/*/val data/features_demo_fam_exact/*/val)
HELD_OUT=(data/features_v2_exact/*/eval data/features_ood_exact/ood/* data/features_exact/*/eval)

if has tables; then
  $PY -m training.aligned_evidence "${VAL[@]}" "${ALL_DEV[@]}"
fi
fit() {  # NAME K DEV...
  local name=$1 k=$2; shift 2
  [[ -f "$OUT/$name.json" ]] || $PY -m training.aligned_fit "$HEADS" --k "$k" --dev "$@" --out "$OUT/$name.json" \
    --eval "${VAL[@]}" 2>&1 | grep -v Warning | tee "$OUT/val_$name.txt"
}
if has fit; then
  fit A 20 "${V2_DEV[@]}"
  fit B 30 "${V2_DEV[@]}"
  fit C 20 "${ALL_DEV[@]}"
fi
if has evaluate; then  # the gate, once: held-out tables, then the shipped ranking and the pick side by side
  : "${PICK:?set PICK to the pick of the rule}"
  $PY -m training.aligned_evidence "${HELD_OUT[@]}"
  source training/eval_sets.sh
  for tag in plain pick; do
    flag=""; [[ $tag == pick ]] && flag="--rerank $OUT/$PICK.json"
    evaluate_sets "--model shipped=$HEADS $flag" "$OUT/$tag" _exact
  done
fi
if has fit34; then  # the thirty-fourth round's candidate D: C's recipe with every feature (MODEL_CARD); its gate:
  # STEPS=evaluate PICK=D OUT=training/results/round34
  out34=training/results/round34
  mkdir -p "$out34"
  [[ -f "$out34/D.json" ]] || $PY -m training.aligned_fit "$HEADS" --k 20 --features all --dev "${ALL_DEV[@]}" \
    --out "$out34/D.json" --eval "${VAL[@]}" 2>&1 | grep -v Warning | tee "$out34/val_D.txt"
fi
