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
[[ -f "$OUT/WA80.json" ]] || cp training/results/round47/two_A80.json "$OUT/WA80.json"
STEPS=$STEPS OUT=$OUT NAME=WA80 TAG=WA_C1 REFERENCE_FROM=W80_w0.1:training/results/round45 REF_TAG=W0.1_C1 \
  REF_FILE=$APP bash training/run_candidate_gate.sh
