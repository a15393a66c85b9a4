#!/usr/bin/env bash
# Release 2.2, sixty-third and sixty-fourth rounds (MODEL_CARD): WN80 with the named-sound prior (model.aligned_rerank,
# named_prior w = 1 / 2 / 4), given to the results it does not read (ROUND=63: P1, P2, P4) or to every one of the
# first results (ROUND=64: Q1, Q2, Q4). The reference WN80's val measures are the sixty-second round's (exact
# evidence), copied beside the candidates. Neither shipped: the prior's code is kept as a patch per round; apply it
# first (git apply training/results/round63/named_prior.patch, or round64/named_prior_every_result.patch).
# Usage: [ROUND=64] STEPS="val folder" bash training/run_round63.sh     (the rule's measures on val, every candidate)
#        [ROUND=64] STEPS=evaluate PICK=P2 bash training/run_round63.sh  (the held-out look, once, after
#          training/demo_check.sh)
# Every step skips finished work.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
STEPS=${STEPS:-"val folder"}
ROUND=${ROUND:-63}
case $ROUND in 63) P=P ;; 64) P=Q ;; *) echo "ROUND is 63 or 64" >&2; exit 2 ;; esac
OUT=training/results/round$ROUND
WN80=training/results/round55/WN80.json
ROUND62=training/results/round62
mkdir -p "$OUT"
has() { [[ " $STEPS " == *" $1 "* ]]; }
for w in 1 2 4; do
  [[ -f $OUT/$P$w.json ]] || $PY - "$WN80" "$w" "$OUT/$P$w.json" <<'PY'
import json, sys
data = json.load(open(sys.argv[1]))
data["named_prior"] = float(sys.argv[2])
json.dump(data, open(sys.argv[3], "w"), indent=1)
PY
done
carried="${P}1:$OUT/${P}1.json:1 ${P}2:$OUT/${P}2.json:1 ${P}4:$OUT/${P}4.json:1"
if has val || has folder; then
  CANDIDATES="WN80 ${P}1 ${P}2 ${P}4" REFERENCE_FROM=WN80:$ROUND62 STEPS="$STEPS" OUT=$OUT bash training/run_round37.sh
fi
if has val; then  # refine with the session's earlier edits carried (c = 1, as the app)
  reference=$ROUND62/carry/val/WN_C1
  OUT=$OUT/carry REFERENCE=$reference CANDIDATES=$carried STEPS=val bash training/run_round43.sh
fi
if has evaluate; then  # the held-out look, once, for PICK
  case ${PICK:-} in "${P}1"|"${P}2"|"${P}4") ;; *) echo "set PICK to ${P}1, ${P}2 or ${P}4" >&2; exit 2 ;; esac
  CANDIDATES="WN80 $PICK" PICK=$PICK STEPS=evaluate OUT=$OUT bash training/run_round37.sh
  pick_file=$OUT/$PICK.json
  OUT=$OUT/carry CANDIDATES="$PICK:$pick_file:1" PICK=$PICK STEPS=evaluate bash training/run_round43.sh
  $PY -m bench.bench_rerank --runs 3 --rerank "$pick_file" > "$OUT/pick/bench_rerank.txt"
fi
