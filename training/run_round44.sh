#!/usr/bin/env bash
# Release 2.2, forty-fourth round (MODEL_CARD): the carried edits at c = 1.5 and 2 with F60, and at c = 1 with the
# forty-second round's W80_w0.1 network; val refine loops only, the reference C1 (F60, c = 1) measured by the
# forty-third round. Needs what training/run_round43.sh needs.
# Usage: STEPS=val bash training/run_round44.sh                  (the rule's measures)
#        STEPS=evaluate PICK=C1.5 bash training/run_round44.sh   (the gate's refine loops, once; a W0.1 pick also
#        needs STEPS=evaluate PICK=W80_w0.1 OUT=training/results/round44 bash training/run_round42.sh's single-step gate)
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
STEPS=${STEPS:-val}
OUT=training/results/round44
HEADS=assets/nudge_heads.safetensors
declare -A WEIGHTS=([C1.5]=training/results/round38/F60.json [C2]=training/results/round38/F60.json
                    [W0.1_C1]=training/results/round42/W80_w0.1.json)
declare -A CARRY=([C1.5]=1.5 [C2]=2 [W0.1_C1]=1)
# shellcheck disable=SC2206
NAMES=(${NAMES:-C1.5 C2 W0.1_C1})
mkdir -p "$OUT"
has() { [[ " $STEPS " == *" $1 "* ]]; }
VAL=(v2_val:data/features_v2_fresh3_exact/*/val release1_val:data/finetune/features_r1_fresh3_exact/*/val
     demo_val:data/features_demo_fam_exact/*/val)

refine() {  # name, set name, caches..., output file
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
  mkdir -p "$OUT/val/C1"
  cp -rn training/results/round43/val/C1/. "$OUT/val/C1/"
  $PY -m training.carry_round_table "$OUT" "$OUT/val/C1" C1.5 C2 W0.1_C1 > "$OUT/val.md"
fi
if has evaluate; then  # the gate's refine loops, once, on the OOD set and the v2 eval split
  : "${PICK:?set PICK to the pick of the rule}"
  for set in v2_eval:data/features_v2_exact/*/eval v2_ood:data/features_ood_exact/ood/*; do
    # shellcheck disable=SC2086
    refine "$PICK" "$OUT/pick/${set%%:*}/refine.json" ${set#*:}
  done
fi
