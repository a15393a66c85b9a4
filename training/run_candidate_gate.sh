#!/usr/bin/env bash
# One reranker candidate's val tables and ship gate (rounds 46-51, MODEL_CARD), against a reference whose figures
# an earlier round measured. Run by the round scripts with:
#   OUT          the round's results folder, holding $NAME.json
#   NAME, TAG    the candidate's name in the single-step tables and in the refine tables (carried edits, c = 1)
#   REFERENCE_FROM=NAME:DIR   the reference's name and the round folder whose val figures (val/, val_folder/,
#                carry/val/$REF_TAG) are copied; REF_TAG its refine name, REF_FILE its weights file
#   STEPS        "val" (R@1, two differences, folder; refine with carry) and / or "evaluate" (the gate, once)
set -euo pipefail
cd "$(dirname "$0")/.."
has() { [[ " $STEPS " == *" $1 "* ]]; }
ref_name=${REFERENCE_FROM%%:*} ref_dir=${REFERENCE_FROM#*:}
file=$OUT/$NAME.json
if has val; then
  CANDIDATES="$ref_name $NAME" STEPS="val folder" bash training/run_round37.sh
  mkdir -p "$OUT/carry/val"
  cp -rn "$ref_dir/carry/val/$REF_TAG" "$OUT/carry/val/"
  reference=$OUT/carry/val/$REF_TAG  # (before OUT changes: prefix assignments see the earlier ones)
  OUT=$OUT/carry REFERENCE=$reference CANDIDATES="$REF_TAG:$REF_FILE:1 $TAG:$file:1" NAMES=$TAG \
    STEPS=val bash training/run_round43.sh
fi
if has evaluate; then
  CANDIDATES="$ref_name $NAME" PICK=$NAME STEPS=evaluate bash training/run_round37.sh
  OUT=$OUT/carry CANDIDATES="$TAG:$file:1" PICK=$TAG STEPS=evaluate bash training/run_round43.sh
fi
