#!/usr/bin/env bash
# Release 2.2, sixty-second round (MODEL_CARD): the reranker refitted on exact evidence. WN80's lists rebuilt with
# the tables following their caches' graph (exact, as the app reads), and two candidates: XA80, WN80's recipe as it
# was (from round 54's seed networks); XB80, the same fits from WN80's own seed networks (round 55). The reference
# is WN80 reading exact evidence, measured here by the same val commands.
# Usage: STEPS=data nohup nice -n 5 bash training/run_round62.sh > data/logs/round62_data.log 2>&1 &
#          (round 31's dev caches must exist: STEPS=data bash training/run_round31.sh; then their tables and k80
#          lists, the folder lists, round 55's more dev set)
#        STEPS="fit val" bash training/run_round62.sh     (three fits per candidate, their means; val tables)
#        STEPS=evaluate PICK=XA80|XB80 bash training/run_round62.sh  (the gate, once, after training/demo_check.sh)
# Every step skips finished work.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
STEPS=${STEPS:-"fit val"}
OUT=training/results/round62
MORE=data/pilots/aligned/k80_more
LISTS=data/pilots/aligned/k80/folder_train.pt
mkdir -p "$OUT"
has() { [[ " $STEPS " == *" $1 "* ]]; }

if has data; then  # exact tables (the default now), the k80 lists, the folder lists with F60's gate as round 41's
  STEPS="tables build" bash training/run_round39.sh
  [[ -f $LISTS ]] || $PY -m training.folder_lists --split train --rerank training/results/round38/F60.json \
    --out "$LISTS"
  bash training/more_dev_set.sh r55 11 1500 "$MORE"
fi
if has fit; then
  STEPS=fit OUT=$OUT START=training/results/round54/g_seed PREFIX=xa NAME=XA80 TAG=XA_C1 \
    FIT_ARGS="--logit-features --more-dev $MORE" bash training/run_round50.sh
  STEPS=fit OUT=$OUT START=training/results/round55/n_seed PREFIX=xb NAME=XB80 TAG=XB_C1 \
    FIT_ARGS="--logit-features --more-dev $MORE" bash training/run_round50.sh
fi
if has val; then  # WN80 measured beside the candidates (not copied: its earlier figures read pairsat1 tables)
  [[ -f "$OUT/WN80.json" ]] || cp training/results/round55/WN80.json "$OUT/WN80.json"
  CANDIDATES="WN80 XA80 XB80" STEPS="val folder" OUT=$OUT bash training/run_round37.sh
  carried="WN_C1:$OUT/WN80.json:1 XA_C1:$OUT/XA80.json:1 XB_C1:$OUT/XB80.json:1"
  reference=$OUT/carry/val/WN_C1  # (outside the prefix assignments, which see the OUT assigned before them)
  OUT=$OUT/carry REFERENCE=$reference NAMES="WN_C1 XA_C1 XB_C1" STEPS=val \
    CANDIDATES=$carried bash training/run_round43.sh
fi
if has evaluate; then  # the gate, once, for PICK
  case ${PICK:-} in XA80) tag=XA_C1 ;; XB80) tag=XB_C1 ;; *) echo "set PICK to XA80 or XB80" >&2; exit 2 ;; esac
  CANDIDATES="WN80 $PICK" PICK=$PICK STEPS=evaluate OUT=$OUT bash training/run_round37.sh
  pick_file=$OUT/$PICK.json
  OUT=$OUT/carry CANDIDATES="$tag:$pick_file:1" PICK=$tag STEPS=evaluate bash training/run_round43.sh
  $PY -m bench.bench_rerank --runs 3 --rerank "$OUT/$PICK.json" > "$OUT/pick/bench_rerank.txt"
fi
