#!/usr/bin/env bash
# Release 2.2, fiftieth round (MODEL_CARD): WB80, three fits started from WA80's seed networks
# (training/results/round47/a0.001_seed<s>.json) at L = 0.001, averaged, for every text; the reference is the app
# now, WA80, as measured by round 49.
# Usage: STEPS="fit val" bash training/run_round50.sh   (three fits, their mean; R@1, two differences, folder, refine)
#        STEPS=evaluate bash training/run_round50.sh    (the gate, once, after training/demo_check.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
STEPS=${STEPS:-"fit val"}
OUT=training/results/round50
LISTS=data/pilots/aligned/k80/folder_train.pt
APP=training/results/round49/WA80.json
mkdir -p "$OUT"
has() { [[ " $STEPS " == *" $1 "* ]]; }

fit_one() {  # seed
  local out=$OUT/b_seed$1.json
  [[ -f "$out" ]] || $PY -m training.aligned_folder_fit --folder "$LISTS" --folder-weight 0.1 --context \
    --start "training/results/round47/a0.001_seed$1.json" --anchor 0.001 --seed "$1" --out "$out"
}
if has fit; then
  fit_one 0 & fit_one 1 & wait
  fit_one 2
  [[ -f "$OUT/WB80.json" ]] || $PY -m training.aligned_ensemble --out "$OUT/WB80.json" "$OUT"/b_seed{0,1,2}.json
fi
if has val; then  # as round 49, against WA80's figures
  REFERENCE_FROM=WA80:training/results/round49 CANDIDATES="WA80 WB80" OUT=$OUT STEPS="val folder" \
    bash training/run_round37.sh
  mkdir -p "$OUT/carry/val"
  cp -rn training/results/round49/carry/val/WA_C1 "$OUT/carry/val/"
  reference=$OUT/carry/val/WA_C1 file=$OUT/WB80.json  # (assignments before OUT changes)
  OUT=$OUT/carry REFERENCE=$reference CANDIDATES="WA_C1:$APP:1 WB_C1:$file:1" NAMES=WB_C1 STEPS=val \
    bash training/run_round43.sh
fi
if has evaluate; then  # the gate, once: single-step figures as rounds 37-42, the refine loops with carry
  file=$OUT/WB80.json
  CANDIDATES="WA80 WB80" OUT=$OUT PICK=WB80 STEPS=evaluate bash training/run_round37.sh
  OUT=$OUT/carry CANDIDATES="WB_C1:$file:1" PICK=WB_C1 STEPS=evaluate bash training/run_round43.sh
fi
