#!/usr/bin/env bash
# Release 2.2, thirty-first round (MODEL_CARD): one clip through two file chains. Fine-tunes the shipped heads with
# and without the chain-twin term on fresh data, scores the candidates on the val splits and picks by the rule.
# Usage: STEPS="data stopval twins train score" nohup nice -n 5 bash training/run_round31.sh > data/logs/round31.log 2>&1 &
# then: STEPS=demo (the demo filter of every eligible candidate); STEPS=evaluate PICK=<pick> (the gate, once).
# Every step skips finished work.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
STEPS=${STEPS:-"data stopval twins train score"}
RUNS=${RUNS:-runs/finetune/r31}
OUT=${OUT:-training/results/finetune_round31}
SHIPPED=assets/nudge_heads.safetensors
mkdir -p data/logs "$RUNS" "$OUT"
has() { [[ " $STEPS " == *" $1 "* ]]; }
cache() { local root=$1; shift; $PY -m training.feature_cache "$@" --out-root "$root" --arithmetic exact --workers 2; }

if has data; then
  $PY -m training.demo_families --split dev --n-families 1000 --seed 0 --workers 2 --out data/demo_fam
  cache data/features_demo_fam_exact data/demo_fam/*/dev/pairs.csv
  $PY -m training.pairs_v2 --catalog data/catalog --out data/pairs_v2_r31 --seed 9 --pairs-per-scene dev=1500 --workers 2
  $PY -m training.describe_pairs data/pairs_v2_r31/*/dev/pairs.csv
  $PY -m training.drop_silent_pairs data/pairs_v2_r31/*/dev/pairs.csv
  cache data/features_v2_r31_exact data/pairs_v2_r31/*/dev/pairs.csv
  $PY -m training.synthesize_pairs --scene all --split dev --n-pairs 2000 --seed 4 --workers 2 --out data/finetune/pairs_r1_r31
  cache data/finetune/features_r1_r31_exact data/finetune/pairs_r1_r31/*/dev/pairs.csv
fi
if has stopval; then  # a small v2 val split for the runs' epochs (the old v2 val caches are not on every machine)
  $PY -m training.pairs_v2 --catalog data/catalog --out data/pairs_v2_r31stop --seed 10 --pairs-per-scene val=150 --workers 2
  $PY -m training.describe_pairs data/pairs_v2_r31stop/*/val/pairs.csv
  $PY -m training.drop_silent_pairs data/pairs_v2_r31stop/*/val/pairs.csv
  cache data/features_v2_r31stop_exact data/pairs_v2_r31stop/*/val/pairs.csv
fi
if has twins; then
  $PY -m training.chain_twins data/features_v2_r31_exact/*/dev --clips 1000 --seed 0
fi

TRAIN="data/features_v2_r31_exact/*/dev data/finetune/features_r1_r31_exact/*/dev data/features_demo_fam_exact/*/dev"
VAL="data/features_v2_r31stop_exact/*/val"
FT="--init $SHIPPED --rho 1 --batching anchor --batch-size 512 --epochs 20 --patience 5 --seed 0 --threads 1 --lr 3e-4"
train_runs() {  # "CACHES" "NAME|FLAGS"...: fine-tuned from the shipped heads in parallel; finished runs skipped
  local data=$1 spec m flags; shift
  for spec in "$@"; do
    m=${spec%%|*} flags=${spec#*|}
    [ -f "$RUNS/$m/summary.json" ] && continue
    # shellcheck disable=SC2086
    $PY -m training.train $FT $flags --train $data --val $VAL --out "$RUNS/$m" > "data/logs/train_$m.log" 2>&1 &
  done
  wait
}
if has train; then
  train_runs "$TRAIN" "r31_twins|--twins-weight 1" "r31_control|"
fi

score_round() {  # OUT RUN...: each run and its halfway blend with the shipped heads, beside the shipped heads,
  # on the three val splits; then the rule's eligibility and pick (round6_pick, ranked by the demo-design val)
  local out=$1 m alpha name split M="--model shipped=$SHIPPED"; shift
  for m in "$@"; do
    for alpha in 0.5 1; do
      name=${m}_a${alpha}_s1
      mkdir -p "$RUNS/$name"
      [ -f "$RUNS/$name/heads.safetensors" ] || $PY -m training.heads_blend --a "$SHIPPED" \
        --b "$RUNS/$m/heads.safetensors" --alpha "$alpha" --out "$RUNS/$name/heads.safetensors"
      M="$M --model $name=$RUNS/$name/heads.safetensors"
    done
  done
  for split in v2_val:data/features_v2_fresh3_exact release1_val:data/finetune/features_r1_fresh3_exact \
               demo_family_val:data/features_demo_fam_exact; do
    # shellcheck disable=SC2086
    $PY -m training.evaluate $M --eval "${split#*:}"/*/val --out-dir "$out/${split%%:*}" --umap ''
  done
  $PY -m training.round6_pick "$out" --margin 0.005 --incumbent shipped --floor shipped \
    --rank-by demo_family_val | tee "$out/pick.txt"
}
demo_filter() {  # OUT: the demo check of each eligible candidate of OUT/pick.txt
  local name
  for name in $(grep " eligible" "$1/pick.txt" | awk '{print $1}'); do
    bash training/demo_check.sh "$RUNS/$name/heads.safetensors" "$1/demo_$name"
  done
}
if has score; then
  score_round "$OUT" r31_twins r31_control
fi

if has demo; then
  demo_filter "$OUT"
fi

# the thirty-second round (MODEL_CARD): the twin term with more first-release and demo-design rehearsal
if has data32; then
  $PY -m training.synthesize_pairs --scene all --split dev --n-pairs 4000 --seed 5 --workers 2 \
    --out data/finetune/pairs_r1_r32
  cache data/finetune/features_r1_r32_exact data/finetune/pairs_r1_r32/*/dev/pairs.csv
  $PY -m training.demo_families --split dev --n-families 1000 --seed 1 --workers 2 --out data/demo_fam_r32
  cache data/features_demo_fam_r32_exact data/demo_fam_r32/*/dev/pairs.csv
fi
if has train32; then
  train_runs "$TRAIN data/finetune/features_r1_r32_exact/*/dev data/features_demo_fam_r32_exact/*/dev" \
    "r32_twins|--twins-weight 1" "r32_twins_w0.5|--twins-weight 0.5"
fi
if has score32; then
  score_round "$OUT/round32" r32_twins r32_twins_w0.5
  demo_filter "$OUT/round32"
fi

if has evaluate; then  # the gate, once
  : "${PICK:?PICK names the pick of the round}"
  source training/eval_sets.sh
  evaluate_sets "--model $PICK=$RUNS/$PICK/heads.safetensors" "$OUT/pick" _exact
fi
