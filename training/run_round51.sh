#!/usr/bin/env bash
# Release 2.2, fifty-first round (MODEL_CARD): WC80, a third pass: three fits started from round 50's
# (training/results/round50/b_seed<s>.json), otherwise round 50's recipe, reference and gate.
# Usage: STEPS="fit val" bash training/run_round51.sh;  STEPS=evaluate bash training/run_round51.sh (once)
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=training/results/round51 START=training/results/round50/b_seed PREFIX=c NAME=WC80 TAG=WC_C1 \
  bash training/run_round50.sh
