#!/usr/bin/env bash
# Release 2.2, forty-fourth round (MODEL_CARD): the carried edits at c = 1.5 and 2 with F60, and at c = 1 with the
# forty-second round's W80_w0.1 network; val refine loops only, the reference C1 (F60, c = 1) measured by the
# forty-third round. Runs training/run_round43.sh with these candidates; its usage:
#   STEPS=val bash training/run_round44.sh                   (the rule's measures; NAMES=W0.1_C1 for one of them)
#   STEPS=evaluate PICK=W0.1_C1 bash training/run_round44.sh (the gate's refine loops, once; a W0.1 pick also needs
#   STEPS=evaluate PICK=W80_w0.1 bash training/run_round42.sh for the single-step gate)
set -euo pipefail
cd "$(dirname "$0")/.."
F60=training/results/round38/F60.json
mkdir -p training/results/round44/val/C1
cp -rn training/results/round43/val/C1/. training/results/round44/val/C1/
OUT=training/results/round44 REFERENCE=training/results/round44/val/C1 \
  CANDIDATES="C1.5:$F60:1.5 C2:$F60:2 W0.1_C1:training/results/round42/W80_w0.1.json:1" \
  exec bash training/run_round43.sh
