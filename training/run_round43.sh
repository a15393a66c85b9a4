#!/usr/bin/env bash
# Release 2.2, forty-third round (MODEL_CARD): F60 with the session's earlier edits carried into each refine step
# (training.refine_bench --carry c, c = 0.5 and 1), val refine loops only; the reference F60's are the
# forty-second round's. Needs the val sets (training/run_val_data.sh) and their per-patch tables.
# Usage: STEPS=val bash training/run_round43.sh                 (the rule's measures, every candidate)
#        STEPS=evaluate PICK=C1 bash training/run_round43.sh    (the gate, once; needs training/run_eval_data.sh)
# CANDIDATES: "NAME:WEIGHTS_FILE:CARRY ..."; NAMES picks some of them (parallel jobs); REFERENCE: a val folder
# (<split>/refine.json) copied beside the candidates for the table. training/run_round44.sh sets all of these.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
STEPS=${STEPS:-val}
OUT=${OUT:-training/results/round43}
HEADS=${HEADS:-assets/nudge_heads.safetensors}  # the heads the candidates are for
F60=training/results/round38/F60.json
# shellcheck disable=SC2206
CANDIDATES=(${CANDIDATES:-C0.5:$F60:0.5 C1:$F60:1})
declare -A WEIGHTS CARRY
ALL=()
for c in "${CANDIDATES[@]}"; do
  IFS=: read -r name weights carry <<< "$c"
  WEIGHTS[$name]=$weights CARRY[$name]=$carry
  ALL+=("$name")
done
# shellcheck disable=SC2206
NAMES=(${NAMES:-${ALL[*]}})
REFERENCE=${REFERENCE:-training/results/round42/val/F60}
mkdir -p "$OUT"
has() { [[ " $STEPS " == *" $1 "* ]]; }
VAL=(v2_val:data/features_v2_fresh3_exact/*/val release1_val:data/finetune/features_r1_fresh3_exact/*/val
     demo_val:data/features_demo_fam_exact/*/val)

refine() {  # name, output file, caches...
  local name=$1 f=$2; shift 2
  mkdir -p "$(dirname "$f")"
  [[ -f $f ]] || $PY -m training.refine_bench --model "shipped=$HEADS" --rerank "${WEIGHTS[$name]}" \
    --carry "${CARRY[$name]}" --eval "$@" --out "$f" 2> "${f%.json}.log"
}
if has val; then
  for name in "${NAMES[@]}"; do
    for set in "${VAL[@]}"; do
      # shellcheck disable=SC2086
      refine "$name" "$OUT/val/$name/${set%%:*}/refine.json" ${set#*:}
    done
  done
  $PY -m training.carry_round_table "$OUT" "$REFERENCE" "${ALL[@]}" > "$OUT/val.md"
fi
if has evaluate; then  # the gate's refine loops, once, on the OOD set and the v2 eval split
  : "${PICK:?set PICK to the pick of the rule}"
  [[ $OUT == training/results/round43 ]] && \
    $PY -m training.aligned_evidence data/features_v2_exact/*/eval data/features_ood_exact/ood/*
  for set in v2_eval:data/features_v2_exact/*/eval v2_ood:data/features_ood_exact/ood/*; do
    # shellcheck disable=SC2086
    refine "$PICK" "$OUT/pick/${set%%:*}/refine.json" ${set#*:}
  done
fi
