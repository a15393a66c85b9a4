#!/usr/bin/env bash
# Release 2.2, sixty-seventh round (MODEL_CARD): the app's reranker EA80 with a match floor d = 0.10 / 0.20 / 0.30
# (M10, M20, M30: a result whose cosine lies more than d below the best one's is never lifted above those within d).
# The reference EA80 is measured here too, with the shipped heads' file as the candidates. Needs the val sets
# (training/run_val_data.sh); the held-out look also the eval sets (training/run_eval_data.sh) and data/ood.
# Usage: STEPS="val folder pooled" bash training/run_round67.sh    (the rule's measures on val, every candidate)
#        STEPS=pooled_demo bash training/run_round67.sh             (the sixty-eighth round's one-length library)
#        STEPS=evaluate PICK=M20 bash training/run_round67.sh      (the held-out look, once, after demo_check.sh)
# Every step skips finished work.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
STEPS=${STEPS:-"val folder pooled"}
OUT=training/results/round67
mkdir -p "$OUT" data/pooled/runs
has() { [[ " $STEPS " == *" $1 "* ]]; }
cp -n assets/nudge_rerank.json "$OUT/EA80.json"
for d in 10 20 30; do
  [[ -f $OUT/M$d.json ]] || $PY - "$OUT/EA80.json" "0.$d" "$OUT/M$d.json" <<'PY'
import json, sys
data = json.load(open(sys.argv[1]))
data["match_floor"] = float(sys.argv[2])
json.dump(data, open(sys.argv[3], "w"), indent=1)
PY
done
RUN_TAG=
source training/pooled_runs.sh  # model_dir, pooled
if has val || has folder; then
  CANDIDATES="EA80 M10 M20 M30" OUT=$OUT STEPS="$STEPS" bash training/run_round37.sh
fi
if has val; then  # refine with the session's earlier edits carried (c = 1, as the app), the reference included
  c="EA_C1:$OUT/EA80.json:1 M10_C1:$OUT/M10.json:1 M20_C1:$OUT/M20.json:1 M30_C1:$OUT/M30.json:1"
  OUT=$OUT/carry REFERENCE=$OUT/carry/val/EA_C1 CANDIDATES=$c STEPS=val bash training/run_round43.sh
fi
if has pooled; then  # every v2 val scene's pairs in one library
  [[ -f data/pooled/v2_val.csv ]] || $PY -m training.pooled_gallery write data/pairs_v2_fresh3 --split val \
    --out data/pooled/v2_val.csv
  for name in EA80 M10 M20 M30; do pooled "$name" data/pooled/v2_val.csv data/pooled/v2_val_lib data/pairs_v2_fresh3; done
  $PY -m training.pooled_gallery summary data/pooled/v2_val.csv data/pooled/runs/v2_val_{EA80,M10,M20,M30}.json \
    > "$OUT/pooled_val.md"
fi
if has pooled_demo; then  # the sixty-eighth round: the demo-design val families (one clip length) in one library
  [[ -f data/pooled/demo_fam_val.csv ]] || $PY -m training.pooled_gallery write data/demo_fam --split val \
    --out data/pooled/demo_fam_val.csv
  for name in EA80 M10 M20 M30; do pooled "$name" data/pooled/demo_fam_val.csv data/pooled/demo_fam_val_lib data/demo_fam
  done
  $PY -m training.pooled_gallery summary data/pooled/demo_fam_val.csv \
    data/pooled/runs/demo_fam_val_{EA80,M10,M20,M30}.json > "$OUT/pooled_demo_fam_val.md"
fi
if has evaluate; then  # the held-out look, once, for PICK
  case ${PICK:-} in M10|M20|M30) ;; *) echo "set PICK to M10, M20 or M30" >&2; exit 2 ;; esac
  CANDIDATES="EA80 $PICK" PICK=$PICK STEPS=evaluate OUT=$OUT bash training/run_round37.sh
  OUT=$OUT/carry CANDIDATES="$PICK:$OUT/$PICK.json:1" PICK=$PICK STEPS=evaluate bash training/run_round43.sh
  [[ -f data/pooled/ood.csv ]] || $PY -m training.pooled_gallery write data/ood --split "" --out data/pooled/ood.csv
  for name in EA80 "$PICK"; do pooled "$name" data/pooled/ood.csv data/pooled/ood_lib data/ood; done
  $PY -m training.pooled_gallery summary data/pooled/ood.csv data/pooled/runs/ood_{EA80,$PICK}.json \
    > "$OUT/pooled_ood.md"
fi
