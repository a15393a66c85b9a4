#!/usr/bin/env bash
# A new modifier reader (MODEL_CARD "Reader 5" to "Reader 9"), measured once after its ship rule passed, for the report,
# into OUT (readers 5-9: OUT=training/results/reader5 ... reader9):
#   STEPS=readback   the OOD phrasing bank read back (texts scored, never shown) -> OUT/parser_eval.json (and its text)
#   STEPS=exactcache the evaluation caches re-read their texts with the new reader (audio rows kept)
#   STEPS=evaluate   the app (its heads, WN80, carried edits) on the OOD set, the v2 eval split and the first
#                    release's eval split -> OUT (pick/, carry/pick/, eval_folder_pick.txt)
#   STEPS=demo       the demo check with the new reader -> OUT/demo
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
STEPS=${STEPS:-"readback exactcache evaluate demo"}
OUT=${OUT:?set OUT to a new folder, e.g. training/results/reader10 (finished steps are skipped)}
mkdir -p data/logs "$OUT"
has() { [[ " $STEPS " == *" $1 "* ]]; }
if has readback; then
  $PY -m training.parser_eval --n 500 --test --pairs data/ood/*/pairs.csv --json "$OUT/parser_eval.json" \
    | grep -v "^  wrong" > "$OUT/parser_eval.txt"
fi
if has exactcache; then
  STEPS=exactcache bash training/run_eval_data.sh
fi
if has evaluate; then
  cp -n assets/nudge_rerank.json "$OUT/WN80.json"
  cmp -s assets/nudge_rerank.json training/results/round55/WN80.json || { echo "the app's reranker is not WN80" >&2; exit 2; }
  OUT=$OUT NAME=WN80 TAG=WN_C1 REFERENCE_FROM=WN80:training/results/round55 STEPS=evaluate \
    bash training/run_candidate_gate.sh
fi
if has demo; then
  bash training/demo_check.sh assets/nudge_heads.safetensors "$OUT/demo"
fi
