#!/usr/bin/env bash
# Release 2.2, sixty-sixth round (MODEL_CARD): the twenty-ninth round's only eligible blend, d19_S2_a0.8 (S2 and
# the nineteenth run, 0.8 of the run), with a reranker fitted for it, as the sixty-fifth round did for the run
# (training/run_round65.sh: the same steps, lists in data/pilots/aligned_d19_a08, candidates EA80 and EB80).
# Usage: STEPS=data | "fit val" | evaluate PICK=EA80|EB80  bash training/run_round66.sh
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
heads=runs/finetune/r66/d19_S2_a0.8.safetensors
s2=runs/finetune/S2.safetensors  # the twelfth-round pick (training/run_round14.sh)
mkdir -p "$(dirname "$heads")"
[[ -f $s2 ]] || git show 5949b34:assets/nudge_heads.safetensors > "$s2"
[[ -f $heads ]] || $PY -m training.heads_blend --a "$s2" \
  --b training/results/finetune_round28/d19_demo_fam_heads.safetensors --alpha 0.8 --out "$heads"
OUT=training/results/round66 HEADS=$heads LISTS_DIR=data/pilots/aligned_d19_a08 L=E \
  exec bash training/run_round65.sh
