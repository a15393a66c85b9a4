#!/usr/bin/env bash
# Release 2.2, sixty-ninth round (MODEL_CARD): the app's reranker EA80 with a class term, the heads' own event
# classifier read on the clips' vectors (model/class_term.py): CN2 (named 0.2), CN2O2 (0.2, other 0.2), CN4O4 (0.4,
# 0.4), CO2 (other 0.2). The reference EA80 is measured here too. Needs the val sets (training/run_val_data.sh); the
# held-out look also the eval sets (training/run_eval_data.sh) and data/ood.
# Usage: STEPS="val folder pooled" bash training/run_round69.sh   (the rule's measures on val, every candidate)
#        STEPS=evaluate PICK=CN2O2 bash training/run_round69.sh   (the held-out look, once, after demo_check.sh)
# Every step skips finished work.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
STEPS=${STEPS:-"val folder pooled"}
OUT=training/results/round69
NAMES=(EA80 CN2 CN2O2 CN4O4 CO2)
mkdir -p "$OUT" data/pooled/runs
has() { [[ " $STEPS " == *" $1 "* ]]; }
cp -n assets/nudge_rerank.json "$OUT/EA80.json"
make() {  # name named other
  [[ -f $OUT/$1.json ]] || $PY - "$OUT/EA80.json" "$2" "$3" "$OUT/$1.json" <<'PY'
import json, sys
data = json.load(open(sys.argv[1]))
data["class_term"] = {"named": float(sys.argv[2]), "other": float(sys.argv[3])}
json.dump(data, open(sys.argv[4], "w"), indent=1)
PY
}
make CN2 0.2 0; make CN2O2 0.2 0.2; make CN4O4 0.4 0.4; make CO2 0 0.2
RUN_TAG=r69_
source training/pooled_runs.sh  # model_dir, pooled
if has val || has folder; then
  CANDIDATES="${NAMES[*]}" OUT=$OUT STEPS="$STEPS" bash training/run_round37.sh
fi
if has val; then  # refine with the session's earlier edits carried (c = 1, as the app), the reference included
  c=""; for n in "${NAMES[@]}"; do c+="${n}_C1:$OUT/$n.json:1 "; done
  OUT=$OUT/carry REFERENCE=$OUT/carry/val/EA80_C1 CANDIDATES=$c STEPS=val bash training/run_round43.sh
fi
if has pooled; then  # every v2 val scene's pairs in one library; the demo-design val families in another
  [[ -f data/pooled/v2_val.csv ]] || $PY -m training.pooled_gallery write data/pairs_v2_fresh3 --split val \
    --out data/pooled/v2_val.csv
  [[ -f data/pooled/demo_fam_val.csv ]] || $PY -m training.pooled_gallery write data/demo_fam --split val \
    --out data/pooled/demo_fam_val.csv
  for name in "${NAMES[@]}"; do
    pooled "$name" data/pooled/v2_val.csv data/pooled/v2_val_lib data/pairs_v2_fresh3
    pooled "$name" data/pooled/demo_fam_val.csv data/pooled/demo_fam_val_lib data/demo_fam
  done
  for set in v2_val demo_fam_val; do
    $PY -m training.pooled_gallery summary data/pooled/$set.csv \
      $(for n in "${NAMES[@]}"; do echo "data/pooled/runs/${set}_r69_$n.json"; done) > "$OUT/pooled_$set.md"
  done
fi
if has evaluate; then  # the held-out look, once, for PICK
  case ${PICK:-} in CN2|CN2O2|CN4O4|CO2) ;; *) echo "set PICK to CN2, CN2O2, CN4O4 or CO2" >&2; exit 2 ;; esac
  CANDIDATES="EA80 $PICK" PICK=$PICK STEPS=evaluate OUT=$OUT bash training/run_round37.sh
  OUT=$OUT/carry CANDIDATES="${PICK}_C1:$OUT/$PICK.json:1" PICK=${PICK}_C1 STEPS=evaluate \
    bash training/run_round43.sh
fi
