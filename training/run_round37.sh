#!/usr/bin/env bash
# Release 2.2, thirty-seventh round (MODEL_CARD): the shipped reranker G30 reading deeper into the search's
# results, K = 30 / 40 / 60 / 80 / 120 instead of 20 (the network and the length gate unchanged).
# Needs the val sets (training/run_val_data.sh) and the catalog; the gate also the eval sets
# (training/run_eval_data.sh, with STEPS=exactcache).
# Usage: STEPS="val folder" bash training/run_round37.sh   (the rule's measures on val, every candidate)
#        STEPS=evaluate PICK=K40 bash training/run_round37.sh  (the gate, once; then training/demo_check.sh)
# Every step skips finished work. training/run_round38.sh runs this script with its own CANDIDATES and OUT.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
STEPS=${STEPS:-"val folder"}
OUT=${OUT:-training/results/round37}
HEADS=${HEADS:-assets/nudge_heads.safetensors}  # the heads the candidates are for
mkdir -p data/logs "$OUT"
has() { [[ " $STEPS " == *" $1 "* ]]; }
# shellcheck disable=SC2206
CANDIDATES=(${CANDIDATES:-K20 K30 K40 K60 K80 K120})  # K20 is G30
# REFERENCE_FROM=NAME:DIR: a candidate measured by an earlier round; its file and val measures are copied from DIR
if [[ -n ${REFERENCE_FROM:-} ]] && { has val || has folder; }; then
  ref=${REFERENCE_FROM%%:*} from=${REFERENCE_FROM#*:}
  [[ -f "$OUT/$ref.json" ]] || cp "$from/$ref.json" "$OUT/$ref.json"
  mkdir -p "$OUT/val" "$OUT/val_folder"
  [[ -d "$OUT/val/$ref" ]] || cp -r "$from/val/$ref" "$OUT/val/$ref"
  [[ -f "$OUT/val_folder/$ref.txt" ]] || cp "$from/val_folder/$ref.txt" "$OUT/val_folder/$ref.txt"
fi
for name in "${CANDIDATES[@]}"; do  # G30's file with k = the digits; F / Q: a length floor of 0.1 / 0.25 s
  [[ -f "$OUT/$name.json" ]] || $PY - "$name" "$OUT/$name.json" <<'PY'
import json, sys
data = json.load(open("training/results/round36/G30.json"))
data["k"] = int(sys.argv[1][1:])
if sys.argv[1][0] not in "KFQ" or not sys.argv[1][1:].isdigit():
    sys.exit(f"{sys.argv[2]} is missing and {sys.argv[1]} is not K / F / Q and a k: make that file first")
if sys.argv[1][0] != "K":
    data["length_floor"] = {"F": 0.1, "Q": 0.25}[sys.argv[1][0]]
json.dump(data, open(sys.argv[2], "w"), indent=1)
PY
done
VAL=(v2_val:data/features_v2_fresh3_exact/*/val release1_val:data/finetune/features_r1_fresh3_exact/*/val
     demo_val:data/features_demo_fam_exact/*/val)

if has val; then  # R@1 and the refine loop on each val split, every candidate
  for name in "${CANDIDATES[@]}"; do
    for set in "${VAL[@]}"; do
      dir="$OUT/val/$name/${set%%:*}"
      mkdir -p "$dir"
      # shellcheck disable=SC2086
      [[ -f "$dir/results.json" ]] || $PY -m training.evaluate --model "shipped=$HEADS" --rerank "$OUT/$name.json" \
        --eval ${set#*:} --out-dir "$dir" --umap '' > "$dir/log.txt" 2>&1
      # shellcheck disable=SC2086
      [[ -f "$dir/refine.json" ]] || $PY -m training.refine_bench --model "shipped=$HEADS" --rerank "$OUT/$name.json" \
        --eval ${set#*:} --out "$dir/refine.json" >> "$dir/log.txt" 2>&1
    done
  done
fi
if has folder; then  # the catalog's val-split folder of single recordings, every candidate
  mkdir -p "$OUT/val_folder"
  for name in "${CANDIDATES[@]}"; do
    f="$OUT/val_folder/$name.txt"
    [[ -s $f ]] || { $PY -m bench.bench_real_folder --split val --rerank "$OUT/$name.json" > "$f.tmp" && mv "$f.tmp" "$f"; }
  done
fi
if has val || has folder; then  # the rule's table, from whatever both steps have written
  $PY -m training.rerank_round_tables "$OUT" "${CANDIDATES[@]}" > "$OUT/val.md"
fi
if has evaluate; then  # the gate, once: held-out tables of the pick (G30's are round36/pick), the eval folder
  : "${PICK:?set PICK to the pick of the rule}"
  $PY -m training.aligned_evidence data/features_v2_exact/*/eval data/features_ood_exact/ood/* \
    data/features_exact/*/eval
  source training/eval_sets.sh
  evaluate_sets "--model shipped=$HEADS --rerank $OUT/$PICK.json" "$OUT/pick" _exact
  $PY -m training.finetune_tables "$OUT/pick" --models shipped > "$OUT/pick/tables.md"
  f="$OUT/eval_folder_pick.txt"
  [[ -s $f ]] || { $PY -m bench.bench_real_folder --split eval --rerank "$OUT/$PICK.json" > "$f.tmp" && mv "$f.tmp" "$f"; }
fi
