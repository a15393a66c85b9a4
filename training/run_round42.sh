#!/usr/bin/env bash
# Release 2.2, forty-second round (MODEL_CARD): the forty-first round's recipe (N80's fit plus the folder lists'
# term, the mean network of seeds 0, 1, 2) with the folder weight w = 0.1 and 0.3; F60 is the reference.
# Needs what training/run_round41.sh needs. Usage, as that script's:
#   STEPS="lists fit mean" bash training/run_round42.sh        (the folder lists, six fits, two candidate files)
#   STEPS="val folder" bash training/run_round42.sh            (the rule's measures on val)
#   STEPS=evaluate PICK=W80_w0.3 bash training/run_round42.sh  (the gate, once; then training/demo_check.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=training/results/round42 WEIGHTS="0.1 0.3" REFERENCE=F60 exec bash training/run_round41.sh
