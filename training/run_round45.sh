#!/usr/bin/env bash
# Release 2.2, forty-fifth round (MODEL_CARD): the forty-second round's recipe (folder weight 0.1, seeds 0, 1, 2
# averaged) with each edit also reading the other edit's kind (training.aligned_folder_fit --context): X80. The
# reference is the app now, W80_w0.1 with the carried edits at c = 1.
# Usage: STEPS="fit mean" bash training/run_round45.sh     (three fits, their mean X80.json)
#        STEPS=val bash training/run_round45.sh            (R@1, two differences, refine with carry, the val folder)
#        STEPS=evaluate bash training/run_round45.sh       (the gate, once; then training/demo_check.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
STEPS=${STEPS:-"fit mean"}
OUT=training/results/round45
LISTS=data/pilots/aligned/k80/folder_train.pt
mkdir -p "$OUT"
has() { [[ " $STEPS " == *" $1 "* ]]; }

if has fit; then
  for seed in ${SEEDS:-0 1 2}; do
    [[ -f "$OUT/x_seed$seed.json" ]] || $PY -m training.aligned_folder_fit --folder "$LISTS" --folder-weight 0.1 \
      --context --seed "$seed" --out "$OUT/x_seed$seed.json"
  done
fi
if has mean; then
  [[ -f "$OUT/X80.json" ]] || $PY -m training.aligned_ensemble --out "$OUT/X80.json" "$OUT"/x_seed{0,1,2}.json
fi
if has val; then  # single-step val measures and the val folder as rounds 37-42 (the reference measured again),
  # the refine loop as rounds 43-44
  cp -n training/results/round42/W80_w0.1.json "$OUT/W80_w0.1.json"
  CANDIDATES="W80_w0.1 X80" OUT=$OUT STEPS="val folder" \
    bash training/run_round37.sh
  mkdir -p "$OUT/carry/val/W0.1_C1"  # the reference's refine loops, measured by the forty-fourth round this session
  cp -rn training/results/round44/val/W0.1_C1/. "$OUT/carry/val/W0.1_C1/"
  reference=$OUT/carry/val/W0.1_C1 file=$OUT/X80.json  # (assignments before OUT changes)
  OUT=$OUT/carry REFERENCE=$reference CANDIDATES="W0.1_C1:training/results/round42/W80_w0.1.json:1 \
X_C1:$file:1" NAMES=X_C1 STEPS=val bash training/run_round43.sh
fi
if has evaluate; then  # the gate, once: single-step figures as rounds 37-42, the refine loops with carry
  file=$OUT/X80.json
  CANDIDATES="W80_w0.1 X80" OUT=$OUT PICK=X80 STEPS=evaluate \
    bash training/run_round37.sh
  OUT=$OUT/carry CANDIDATES="X_C1:$file:1" PICK=X_C1 STEPS=evaluate bash training/run_round43.sh
fi
