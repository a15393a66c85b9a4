#!/usr/bin/env bash
# Release 2.2, forty-sixth round (MODEL_CARD): H80, one file with W80_w0.1's network for one-edit texts and X80's
# (round 45) for two or more; the reference is the app now (W80_w0.1 with c = 1), as measured by round 45.
# Usage: STEPS=val bash training/run_round46.sh        (the file; R@1, two differences, folder; refine with carry)
#        STEPS=evaluate bash training/run_round46.sh   (the gate, once, after training/demo_check.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
STEPS=${STEPS:-val}
OUT=training/results/round46
mkdir -p "$OUT"
has() { [[ " $STEPS " == *" $1 "* ]]; }
[[ -f "$OUT/H80.json" ]] || $PY -m training.aligned_split --one training/results/round42/W80_w0.1.json \
  --two training/results/round45/X80.json --out "$OUT/H80.json"
if has val; then
  REFERENCE_FROM=W80_w0.1:training/results/round45 CANDIDATES="W80_w0.1 H80" OUT=$OUT STEPS="val folder" \
    bash training/run_round37.sh
  mkdir -p "$OUT/carry/val"
  cp -rn training/results/round45/carry/val/W0.1_C1 "$OUT/carry/val/"
  reference=$OUT/carry/val/W0.1_C1 file=$OUT/H80.json  # (assignments before OUT changes)
  OUT=$OUT/carry REFERENCE=$reference CANDIDATES="W0.1_C1:training/results/round42/W80_w0.1.json:1 \
H_C1:$file:1" NAMES=H_C1 STEPS=val bash training/run_round43.sh
fi
if has evaluate; then  # the gate, once: single-step figures as rounds 37-42, the refine loops with carry
  file=$OUT/H80.json
  CANDIDATES="W80_w0.1 H80" OUT=$OUT PICK=H80 STEPS=evaluate bash training/run_round37.sh
  OUT=$OUT/carry CANDIDATES="H_C1:$file:1" PICK=H_C1 STEPS=evaluate bash training/run_round43.sh
fi
