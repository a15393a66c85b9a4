#!/usr/bin/env bash
# Release 2.2, forty-ninth round (MODEL_CARD): WA80, the mean of round 48's three L = 0.001 fits
# (training/results/round47/two_A80.json) as the one network for every text; the reference is the app now
# (W80_w0.1 with c = 1), as measured by round 45. A80 (round 48, the same network for two-edit texts only) is
# measured by training/run_round47.sh.
# Usage: STEPS=val bash training/run_round49.sh        (R@1, two differences, folder; refine with carry)
#        STEPS=evaluate bash training/run_round49.sh   (the gate, once, after training/demo_check.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
STEPS=${STEPS:-val}
OUT=training/results/round49
APP=training/results/round42/W80_w0.1.json
mkdir -p "$OUT"
has() { [[ " $STEPS " == *" $1 "* ]]; }
[[ -f "$OUT/WA80.json" ]] || cp training/results/round47/two_A80.json "$OUT/WA80.json"
if has val; then
  REFERENCE_FROM=W80_w0.1:training/results/round45 CANDIDATES="W80_w0.1 WA80" OUT=$OUT STEPS="val folder" \
    bash training/run_round37.sh
  mkdir -p "$OUT/carry/val"
  cp -rn training/results/round45/carry/val/W0.1_C1 "$OUT/carry/val/"
  reference=$OUT/carry/val/W0.1_C1 file=$OUT/WA80.json  # (assignments before OUT changes)
  OUT=$OUT/carry REFERENCE=$reference CANDIDATES="W0.1_C1:$APP:1 WA_C1:$file:1" NAMES=WA_C1 STEPS=val \
    bash training/run_round43.sh
fi
if has evaluate; then  # the gate, once: single-step figures as rounds 37-42, the refine loops with carry
  file=$OUT/WA80.json
  CANDIDATES="W80_w0.1 WA80" OUT=$OUT PICK=WA80 STEPS=evaluate bash training/run_round37.sh
  OUT=$OUT/carry CANDIDATES="WA_C1:$file:1" PICK=WA_C1 STEPS=evaluate bash training/run_round43.sh
fi
