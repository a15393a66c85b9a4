#!/usr/bin/env bash
# Release 2.2, forty-third round (MODEL_CARD): F60 with the session's earlier edits carried into each refine step
# (training.refine_bench --carry c, c = 0.5 and 1), val refine loops only; the reference F60's are the
# forty-second round's. Needs the val sets (training/run_val_data.sh) and their per-patch tables.
# Usage: STEPS=val bash training/run_round43.sh                 (the rule's measures, both candidates)
#        STEPS=evaluate PICK=C1 bash training/run_round43.sh    (the gate, once; needs training/run_eval_data.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
STEPS=${STEPS:-val}
OUT=training/results/round43
HEADS=assets/nudge_heads.safetensors
F60=training/results/round38/F60.json
# shellcheck disable=SC2206
CARRY=(${CARRY:-0.5 1})
mkdir -p "$OUT"
has() { [[ " $STEPS " == *" $1 "* ]]; }
VAL=(v2_val:data/features_v2_fresh3_exact/*/val release1_val:data/finetune/features_r1_fresh3_exact/*/val
     demo_val:data/features_demo_fam_exact/*/val)

if has val; then
  for c in "${CARRY[@]}"; do
    for set in "${VAL[@]}"; do
      f="$OUT/val/C$c/${set%%:*}/refine.json"
      mkdir -p "$(dirname "$f")"
      # shellcheck disable=SC2086
      [[ -f $f ]] || $PY -m training.refine_bench --model "shipped=$HEADS" --rerank "$F60" --carry "$c" \
        --eval ${set#*:} --out "$f" 2> "${f%.json}.log"
    done
  done
  $PY -m training.carry_round_table "$OUT" training/results/round42/val/F60 "${CARRY[@]/#/C}" > "$OUT/val.md"
fi
if has evaluate; then  # the gate, once: the pick's refine loops on the OOD set and the v2 eval split
  : "${PICK:?set PICK to the pick of the rule}"
  $PY -m training.aligned_evidence data/features_v2_exact/*/eval data/features_ood_exact/ood/*
  for set in v2_eval:data/features_v2_exact/*/eval v2_ood:data/features_ood_exact/ood/*; do
    f="$OUT/pick/${set%%:*}/refine.json"
    mkdir -p "$(dirname "$f")"
    # shellcheck disable=SC2086
    [[ -f $f ]] || $PY -m training.refine_bench --model "shipped=$HEADS" --rerank "$F60" --carry "${PICK#C}" \
      --eval ${set#*:} --out "$f" 2> "${f%.json}.log"
  done
fi
