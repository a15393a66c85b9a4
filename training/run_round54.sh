#!/usr/bin/env bash
# Release 2.2, fifty-fourth round (MODEL_CARD): WG80, WA80's recipe reading LEVEL_FEATURES and LOGIT_FEATURES
# (three fits from round 42's w0.1_seed<s> at L = 0.001, context input, folder weight 0.1, averaged), for every
# text, and SG80, one file holding WA80 for one-edit texts and WG80 for two; the reference is the app, SL80
# (round 53).
# Usage: STEPS=tables bash training/run_round54.sh     (the k80 tables and folder lists rebuilt with every feature;
#                                                       round 52's moved to k80_r53 first, compared after)
#        STEPS="fit val" bash training/run_round54.sh  (three fits, their mean, the split file; val tables of both)
#        STEPS=evaluate PICK=WG80|SG80 bash training/run_round54.sh  (the gate, once, after training/demo_check.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
STEPS=${STEPS:-"fit val"}
OUT=training/results/round54
APP=training/results/round53/SL80.json
TABLES=data/pilots/aligned/k80
mkdir -p "$OUT"
has() { [[ " $STEPS " == *" $1 "* ]]; }

if has tables; then
  if [[ ! -d ${TABLES}_r53 ]]; then mkdir -p "${TABLES}_r53" && mv "$TABLES"/*.pt "${TABLES}_r53"/; fi
  $PY -m training.aligned_mlp build --k 80
  [[ -f $TABLES/folder_train.pt ]] || $PY -m training.folder_lists --split train --out "$TABLES/folder_train.pt"
  $PY -m training.pilots.table_prefix "${TABLES}_r53" "$TABLES" | tee "$OUT/table_prefix.txt"
fi
if has fit; then
  STEPS=fit OUT=$OUT START=training/results/round42/w0.1_seed PREFIX=g NAME=WG80 TAG=WG_C1 \
    FIT_ARGS=--logit-features bash training/run_round50.sh
  [[ -f "$OUT/SG80.json" ]] || $PY -m training.aligned_split --one training/results/round49/WA80.json \
    --two "$OUT/WG80.json" --out "$OUT/SG80.json"
fi
if has val; then  # as run_candidate_gate.sh, for two candidates against SL80's figures (round 53)
  CANDIDATES="SL80 WG80 SG80" REFERENCE_FROM=SL80:training/results/round53 OUT=$OUT STEPS="val folder" \
    bash training/run_round37.sh
  mkdir -p "$OUT/carry/val"
  cp -rn training/results/round53/carry/val/SL_C1 "$OUT/carry/val/"
  reference=$OUT/carry/val/SL_C1 carried="SL_C1:$APP:1 WG_C1:$OUT/WG80.json:1 SG_C1:$OUT/SG80.json:1"
  # (computed before OUT changes: prefix assignments see the earlier ones)
  OUT=$OUT/carry REFERENCE=$reference NAMES="WG_C1 SG_C1" STEPS=val CANDIDATES=$carried bash training/run_round43.sh
fi
if has evaluate; then
  : "${PICK:?set PICK to the choice of the rule, WG80 or SG80}"
  CANDIDATES=$PICK PICK=$PICK OUT=$OUT STEPS=evaluate bash training/run_round37.sh
  carried="${PICK/80/_C1}:$OUT/$PICK.json:1"
  OUT=$OUT/carry CANDIDATES=$carried PICK=${PICK/80/_C1} STEPS=evaluate bash training/run_round43.sh
fi
