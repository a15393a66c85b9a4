#!/usr/bin/env bash
# Reranker candidates' val tables and ship gate (rounds 46-54, MODEL_CARD), against a reference whose figures
# an earlier round measured. Run by the round scripts with:
#   OUT          the round's results folder, holding $NAME.json for each NAME
#   NAME, TAG    the candidates' names in the single-step tables and in the refine tables (carried edits, c = 1);
#                several candidates: space-separated lists of the same length
#   REFERENCE_FROM=NAME:DIR   the reference's name and the round folder whose val figures (val/, val_folder/,
#                carry/val/$REF_TAG) are copied; REF_TAG its refine name, REF_FILE its weights file
#   STEPS        "val" (R@1, two differences, folder; refine with carry) and / or "evaluate" (the gate, once, for
#                PICK: one of the NAMEs, the only one by default)
set -euo pipefail
cd "$(dirname "$0")/.."
has() { [[ " $STEPS " == *" $1 "* ]]; }
ref_name=${REFERENCE_FROM%%:*} ref_dir=${REFERENCE_FROM#*:}
read -ra names <<< "$NAME"
read -ra tags <<< "$TAG"
(( ${#names[@]} == ${#tags[@]} )) || { echo "NAME and TAG list different numbers of candidates" >&2; exit 2; }
pick=${PICK:-$NAME} carried=() pick_tag=""
for i in "${!names[@]}"; do
  carried+=("${tags[i]}:$OUT/${names[i]}.json:1")
  [[ ${names[i]} != "$pick" ]] || pick_tag=${tags[i]}
done
if has val; then
  CANDIDATES="$ref_name $NAME" STEPS="val folder" bash training/run_round37.sh
  mkdir -p "$OUT/carry/val"
  cp -rn "$ref_dir/carry/val/$REF_TAG" "$OUT/carry/val/"
  reference=$OUT/carry/val/$REF_TAG  # (before OUT changes: prefix assignments see the earlier ones)
  OUT=$OUT/carry REFERENCE=$reference CANDIDATES="$REF_TAG:$REF_FILE:1 ${carried[*]}" NAMES=$TAG \
    STEPS=val bash training/run_round43.sh
fi
if has evaluate; then
  [[ -n $pick_tag ]] || { echo "set PICK to one of: $NAME" >&2; exit 2; }
  CANDIDATES="$ref_name $pick" PICK=$pick STEPS=evaluate bash training/run_round37.sh
  pick_file=$OUT/$pick.json  # (before OUT changes: prefix assignments see the earlier ones)
  OUT=$OUT/carry CANDIDATES="$pick_tag:$pick_file:1" PICK=$pick_tag STEPS=evaluate bash training/run_round43.sh
fi
