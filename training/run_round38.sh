#!/usr/bin/env bash
# Release 2.2, thirty-eighth round (MODEL_CARD): K30 with a smaller length floor, reading deeper into the search's
# results: floor 0.1 s with K 30 / 60 / 80 (F30, F60, F80), floor 0.25 s with K 60 / 80 (Q60, Q80). The steps are
# the thirty-seventh round's (training/run_round37.sh), with these candidates and their own results folder.
# Usage: STEPS="val folder" bash training/run_round38.sh   (the rule's measures on val, every candidate)
#        STEPS=evaluate PICK=F60 bash training/run_round38.sh  (the gate, once; then training/demo_check.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
CANDIDATES="F30 F60 F80 Q60 Q80" OUT=${OUT:-training/results/round38} exec bash training/run_round37.sh
