#!/usr/bin/env bash
# Release 2.2, sixty-fourth round (MODEL_CARD): WN80 with the named-sound prior on each of the first results, read
# or not (model.aligned_rerank, named_prior w = 1 / 2 / 4: Q1, Q2, Q4). The reference WN80's val measures are the
# sixty-second round's (exact evidence), copied beside the candidates. Not shipped: the prior's code is kept as a
# patch; apply it first (git apply training/results/round64/named_prior_every_result.patch).
# Usage: STEPS="val folder" bash training/run_round64.sh     (the rule's measures on val, every candidate)
#        STEPS=evaluate PICK=Q1|Q2|Q4 bash training/run_round64.sh  (the held-out look, once, after
#          training/demo_check.sh)
# Every step skips finished work.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
STEPS=${STEPS:-"val folder"}
OUT=training/results/round64
WN80=training/results/round55/WN80.json
ROUND62=training/results/round62
mkdir -p "$OUT"
has() { [[ " $STEPS " == *" $1 "* ]]; }
for w in 1 2 4; do
  [[ -f $OUT/Q$w.json ]] || $PY - "$WN80" "$w" "$OUT/Q$w.json" <<'PY'
import json, sys
data = json.load(open(sys.argv[1]))
data["named_prior"] = float(sys.argv[2])
json.dump(data, open(sys.argv[3], "w"), indent=1)
PY
done
carried="Q1:$OUT/Q1.json:1 Q2:$OUT/Q2.json:1 Q4:$OUT/Q4.json:1"
if has val || has folder; then
  CANDIDATES="WN80 Q1 Q2 Q4" REFERENCE_FROM=WN80:$ROUND62 STEPS="$STEPS" OUT=$OUT bash training/run_round37.sh
fi
if has val; then  # refine with the session's earlier edits carried (c = 1, as the app)
  reference=$ROUND62/carry/val/WN_C1
  OUT=$OUT/carry REFERENCE=$reference CANDIDATES=$carried STEPS=val bash training/run_round43.sh
fi
if has evaluate; then  # the held-out look, once, for PICK
  case ${PICK:-} in Q1|Q2|Q4) ;; *) echo "set PICK to Q1, Q2 or Q4" >&2; exit 2 ;; esac
  CANDIDATES="WN80 $PICK" PICK=$PICK STEPS=evaluate OUT=$OUT bash training/run_round37.sh
  pick_file=$OUT/$PICK.json
  OUT=$OUT/carry CANDIDATES="$PICK:$pick_file:1" PICK=$PICK STEPS=evaluate bash training/run_round43.sh
  $PY -m bench.bench_rerank --runs 3 --rerank "$pick_file" > "$OUT/pick/bench_rerank.txt"
fi
