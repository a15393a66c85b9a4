#!/usr/bin/env bash
# Release 2.2, forty-seventh round (MODEL_CARD): the context network fitted from the app's seed networks
# (round 42's w0.1_seed<s>) with an anchor L pulling it toward them, as the two-edit network of a split file
# with W80_w0.1 for one edit. The reference is the app now (W80_w0.1 with c = 1), as measured by round 45.
# Usage: STEPS=grid bash training/run_round47.sh               (seed 0 at L = 0.01, 0.1, 1; two_edit_kinds reads)
#        ANCHORS="0.003 0.001 0" STEPS=grid bash ...             (round 48's grid)
#        ANCHOR=L STEPS="fit val" bash training/run_round47.sh  (seeds 1, 2 at L, mean, A80; val tables)
#        ANCHOR=L STEPS=evaluate bash training/run_round47.sh   (the gate, once, after training/demo_check.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
STEPS=${STEPS:-grid}
OUT=training/results/round47
LISTS=data/pilots/aligned/k80/folder_train.pt
APP=training/results/round42/W80_w0.1.json
mkdir -p "$OUT"
has() { [[ " $STEPS " == *" $1 "* ]]; }

fit_one() {  # seed, anchor -> $OUT/a<anchor>_seed<seed>.json
  local out=$OUT/a$2_seed$1.json
  [[ -f "$out" ]] || $PY -m training.aligned_folder_fit --folder "$LISTS" --folder-weight 0.1 --context \
    --start "training/results/round42/w0.1_seed$1.json" --anchor "$2" --seed "$1" --out "$out"
}
split_of() {  # two-edit network file, out file
  [[ -f "$2" ]] || $PY -m training.aligned_split --one "$APP" --two "$1" --out "$2"
}

if has grid; then
  read -ra anchors <<< "${ANCHORS:-0.01 0.1 1}"  # round 48: ANCHORS="0.003 0.001 0"
  for ((i = 0; i < ${#anchors[@]}; i += 2)); do  # two fits at a time
    fit_one 0 "${anchors[i]}" &
    [[ -z ${anchors[i + 1]:-} ]] || fit_one 0 "${anchors[i + 1]}" &
    wait
  done
  for a in "${anchors[@]}"; do
    split_of "$OUT/a${a}_seed0.json" "$OUT/grid_a$a.json"
    [[ -f "$OUT/grid_a$a.txt" ]] || $PY -m training.pilots.two_edit_kinds --rerank "$OUT/grid_a$a.json" \
      > "$OUT/grid_a$a.txt"
  done
  [[ -f "$OUT/grid_app.txt" ]] || $PY -m training.pilots.two_edit_kinds --rerank "$APP" > "$OUT/grid_app.txt"
  grep -H "all:\|2 edit" "$OUT/grid_app.txt"
  for a in "${anchors[@]}"; do grep -H "all:\|2 edit" "$OUT/grid_a$a.txt"; done
fi
if has fit; then
  : "${ANCHOR:?set ANCHOR to the anchor the grid picked}"
  fit_one 1 "$ANCHOR" & fit_one 2 "$ANCHOR" & wait
  [[ -f "$OUT/two_A80.json" ]] || $PY -m training.aligned_ensemble --out "$OUT/two_A80.json" \
    "$OUT"/a"$ANCHOR"_seed{0,1,2}.json
  split_of "$OUT/two_A80.json" "$OUT/A80.json"
fi
if has val || has evaluate; then  # as round 46 (evaluate: the gate, once, after training/demo_check.sh)
  STEPS=$STEPS OUT=$OUT NAME=A80 TAG=A_C1 REFERENCE_FROM=W80_w0.1:training/results/round45 REF_TAG=W0.1_C1 \
    REF_FILE=$APP bash training/run_candidate_gate.sh
fi
