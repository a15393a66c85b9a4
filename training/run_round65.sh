#!/usr/bin/env bash
# Release 2.2, sixty-fifth round (MODEL_CARD): the nineteenth run (d19_demo_fam, the twenty-eighth round's first
# choice once its demo filter works) with a reranker fitted for it. The sixty-second round's lists rebuilt with these
# heads' cosine top 80 (their own folder: the per-patch tables do not depend on the heads), and two candidates:
# DA80, WN80's recipe (from round 54's seed networks); DB80, the same fits from WN80's own seed networks. The
# reference is the app as shipped (the shipped heads with WN80), measured by the sixty-second round.
# Usage: STEPS=data nohup nice -n 5 bash training/run_round65.sh > data/logs/round65_data.log 2>&1 &
#          (needs round 31's dev caches, the val sets, round 55's more dev caches and their per-patch tables, as the
#          sixty-second round left them)
#        STEPS="fit val" bash training/run_round65.sh     (three fits per candidate, their means; val tables)
#        STEPS=evaluate PICK=DA80|DB80 bash training/run_round65.sh  (the gate, once, after training/demo_check.sh)
# Every step skips finished work.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
STEPS=${STEPS:-"fit val"}
# training/run_round66.sh runs this script for another heads file, with its own OUT, HEADS, LISTS_DIR and the
# candidates' letter L (<L>A80, <L>B80)
OUT=${OUT:-training/results/round65}
export HEADS=${HEADS:-training/results/finetune_round28/d19_demo_fam_heads.safetensors}
export NUDGE_HEADS=$HEADS NUDGE_RERANK_HEADS=$HEADS  # the app's searches (folder lists, folder bench) and the fits
export NUDGE_RERANK_LISTS=${LISTS_DIR:-data/pilots/aligned_d19}  # k80/ lists of these heads
L=${L:-D}  # the candidates: ${L}A80 (WN80's recipe), ${L}B80 (from WN80's networks)
l=${L,,}
export LISTS=$NUDGE_RERANK_LISTS/k80/folder_train.pt
MORE=$NUDGE_RERANK_LISTS/k80_more
mkdir -p "$OUT" data/logs
has() { [[ " $STEPS " == *" $1 "* ]]; }

if has data; then
  $PY -m training.aligned_mlp build --k 80
  [[ -f $LISTS ]] || $PY -m training.folder_lists --split train --rerank training/results/round38/F60.json \
    --out "$LISTS"
  [[ -f "$MORE/features_v2_r55_exact_dev.pt" ]] || $PY -m training.aligned_mlp build --k 80 \
    --more-dev "data/features_v2_r55_exact/*/dev" --into "$MORE"
fi
if has fit; then
  STEPS=fit OUT=$OUT START=training/results/round54/g_seed PREFIX=${l}a NAME=${L}A80 TAG=${L}A_C1 \
    FIT_ARGS="--logit-features --more-dev $MORE" bash training/run_round50.sh
  STEPS=fit OUT=$OUT START=training/results/round55/n_seed PREFIX=${l}b NAME=${L}B80 TAG=${L}B_C1 \
    FIT_ARGS="--logit-features --more-dev $MORE" bash training/run_round50.sh
fi
if has val; then  # the candidates with these heads; WN80's figures (the shipped heads) copied from round 62
  reference=training/results/round62
  mkdir -p "$OUT/carry/val"
  [[ -d "$OUT/carry/val/WN_C1" ]] || cp -r "$reference/carry/val/WN_C1" "$OUT/carry/val/WN_C1"
  REFERENCE_FROM=WN80:$reference CANDIDATES="WN80 ${L}A80 ${L}B80" STEPS="val folder" OUT=$OUT \
    bash training/run_round37.sh
  carried="${L}A_C1:$OUT/${L}A80.json:1 ${L}B_C1:$OUT/${L}B80.json:1" ref_carry=$OUT/carry/val/WN_C1
  carry_out=$OUT/carry
  OUT=$carry_out REFERENCE=$ref_carry NAMES="${L}A_C1 ${L}B_C1" STEPS=val CANDIDATES=$carried \
    bash training/run_round43.sh
fi
if has evaluate; then  # the gate, once, for PICK
  case ${PICK:-} in "${L}A80") tag=${L}A_C1 ;; "${L}B80") tag=${L}B_C1 ;;
    *) echo "set PICK to ${L}A80 or ${L}B80" >&2; exit 2 ;; esac
  CANDIDATES="$PICK" PICK=$PICK STEPS=evaluate OUT=$OUT bash training/run_round37.sh
  pick_file=$OUT/$PICK.json carry_out=$OUT/carry
  OUT=$carry_out CANDIDATES="$tag:$pick_file:1" PICK=$tag STEPS=evaluate bash training/run_round43.sh
fi
