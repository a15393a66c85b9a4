#!/usr/bin/env bash
# Release 2.2, thirty-ninth round (MODEL_CARD): the reranker's network refitted on deeper candidate lists, with the
# length gate applied in training as the app applies it (N60, N80), and without it (U60); F60 is the reference.
# Needs the thirty-first round's dev data (STEPS=data bash training/run_round31.sh), the val sets
# (training/run_val_data.sh) and the catalog; the gate also the eval sets (training/run_eval_data.sh).
# Usage: STEPS="tables build fit" bash training/run_round39.sh   (per-patch tables, candidates, the three fits)
#        STEPS="val folder" bash training/run_round39.sh         (the rule's measures on val)
#        STEPS=evaluate PICK=N60 bash training/run_round39.sh    (the gate, once; then training/demo_check.sh)
# Every step skips finished work; the val, folder and evaluate steps are training/run_round37.sh's.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
STEPS=${STEPS:-"tables build fit"}
OUT=training/results/round39
mkdir -p data/logs "$OUT"
has() { [[ " $STEPS " == *" $1 "* ]]; }

if has tables; then  # per-patch evidence of the dev clips (the val sets' are made by the earlier rounds)
  $PY -m training.aligned_evidence data/features_v2_r31_exact/*/dev data/finetune/features_r1_r31_exact/*/dev \
    data/features_demo_fam_exact/*/dev data/features_v2_fresh3_exact/*/val \
    data/finetune/features_r1_fresh3_exact/*/val data/features_demo_fam_exact/*/val
fi
if has build; then  # each dev and val pair's cosine top 80 and their features, per features folder
  $PY -m training.aligned_mlp build --k 80
fi
deep() {  # NAME FLAGS...
  local name=$1; shift
  [[ -f "$OUT/$name.json" ]] || $PY -m training.aligned_mlp deep --k 80 --floor 0.1 --out "$OUT/$name.json" "$@"
}
if has fit; then
  deep N60 --use 60 --tolerance 0.3
  deep N80 --use 80 --tolerance 0.3
  deep U60 --use 60 --tolerance 0.3 --ungated-training  # the gate at use only
fi
if has val || has folder || has evaluate; then  # F60's val measures are the thirty-eighth round's
  REFERENCE_FROM=F60:training/results/round38 CANDIDATES="F60 N60 N80 U60" OUT=$OUT bash training/run_round37.sh
fi
