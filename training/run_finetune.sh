#!/usr/bin/env bash
# Release 2.2: fine-tune the shipped heads on the v2 data (MODEL_CARD "Release 2.2"); resumable.
# Usage: nohup nice -n 10 bash training/run_finetune.sh > data/logs/run_finetune.log 2>&1 &
# STEPS selects a subset ("train", "evaluate"; later rounds: "r1data", "round2", "rhdata", "rhtrain", "rh4data",
# "rh4train", "round4", "rh4diag", "rh4distill", "rh5train", "round5"); PARALLEL runs at a time (default 3).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
STEPS=${STEPS:-"train evaluate"}
PARALLEL=${PARALLEL:-3}
RUNS=${RUNS:-runs/finetune}
mkdir -p data/logs "$RUNS"
# rounds one to twelve start from S, the first-release heads (shipped until the twelfth round), kept in git
S_R1=runs/finetune/S_release1.safetensors; mkdir -p runs/finetune
[ -f "$S_R1" ] || git show c61b157:assets/nudge_heads.safetensors > "$S_R1"
INIT=${INIT:-$S_R1}
has() { [[ " $STEPS " == *" $1 "* ]]; }
source training/eval_sets.sh

# candidates (fixed before evaluation): anchor weight, learning rate, frozen parts
FT="--init $INIT --rho 1 --batching scene --batch-size 512 --epochs 20 --patience 5 --seed 0 --threads 1
    --train data/features_v2/*/dev --val data/features_v2/*/val"
declare -A FT_FLAGS=(
  [ft_a0]="--anchor-weight 0 --lr 3e-4"
  [ft_a001]="--anchor-weight 0.01 --lr 3e-4"
  [ft_a01]="--anchor-weight 0.1 --lr 3e-4"
  [ft_a1]="--anchor-weight 1 --lr 3e-4"
  [ft_a01_lr1e4]="--anchor-weight 0.1 --lr 1e-4"
  [ft_a01_frzA]="--anchor-weight 0.1 --lr 3e-4 --freeze audio"
  [ft_a1_frzA]="--anchor-weight 1 --lr 3e-4 --freeze audio"
)
FT_MODELS=${FT_MODELS:-"ft_a0 ft_a001 ft_a01 ft_a1 ft_a01_lr1e4 ft_a01_frzA ft_a1_frzA"}
if has train; then
  for m in $FT_MODELS; do
    [ -f "$RUNS/$m/summary.json" ] && continue  # trained already
    while [ "$(jobs -rp | wc -l)" -ge "$PARALLEL" ]; do sleep 5; done
    # shellcheck disable=SC2086
    $PY -m training.train $FT ${FT_FLAGS[$m]} --out "$RUNS/$m" > "data/logs/train_$m.log" 2>&1 &
  done
  wait
fi

OUT=${OUT:-training/results/finetune}
if has evaluate; then
  # the pick: lowest v2 validation loss (MODEL_CARD "Release 2.2"), nothing else
  PICK=${PICK:-$($PY -c "
import json, sys
runs = {m: json.load(open(f'$RUNS/{m}/summary.json')) for m in sys.argv[1:]}
print(min(runs, key=lambda m: runs[m]['val_metrics']['val_loss']))" $FT_MODELS)}
  MODELS="--model $PICK=$RUNS/$PICK/heads.safetensors --model shipped=$INIT"
  echo "picked $PICK"
  evaluate_sets "$MODELS" "$OUT"
fi

# second round (MODEL_CARD "Release 2.2, second round"): the first release's val split, re-synthesized
# with its original seed, as a constraint: eligible = R@1 on it not below the shipped heads' - 0.01 in
# rain and traffic; the pick = lowest v2 val loss among the eligible
R1=${R1:-data/finetune}
if has r1data; then
  $PY -m training.synthesize_pairs --scene all --split val --n-pairs 1000 --seed 0 --workers 2 --out "$R1/pairs_r1"
  $PY -m training.feature_cache "$R1"/pairs_r1/*/val/pairs.csv --out-root "$R1/features_r1" --workers 2
fi
ROUND_MODELS=${ROUND_MODELS:-$FT_MODELS}  # the third round: ROUND_MODELS="$RH_MODELS" (set below)
if has round2; then
  ALL="--model shipped=$INIT"
  for m in $ROUND_MODELS; do ALL="$ALL --model $m=$RUNS/$m/heads.safetensors"; done
  # shellcheck disable=SC2086
  $PY -m training.evaluate $ALL --eval "$R1"/features_r1/*/val --out-dir "$OUT/release1_val" --umap ''
  $PY -c "
import json, sys
r = json.load(open('$OUT/release1_val/results.json'))['results']
runs = {m: json.load(open(f'$RUNS/{m}/summary.json'))['val_metrics']['val_loss'] for m in sys.argv[1:]}
ok = [m for m in runs if all(r[m][f'{s}/R@1'] >= r['shipped'][f'{s}/R@1'] - 0.01 for s in ('rain', 'traffic'))]
for m in runs:
    print(m, 'val loss %.3f' % runs[m], ' '.join('%s %.3f' % (s, r[m][f'{s}/R@1']) for s in ('rain', 'traffic')),
          'eligible' if m in ok else '')
print('shipped', ' '.join('%s %.3f' % (s, r['shipped'][f'{s}/R@1']) for s in ('rain', 'traffic')), 'all %.3f' % r['shipped']['all/R@1'])
print('pick:', min(ok, key=runs.get) if ok else 'none')" $ROUND_MODELS | tee "$OUT/release1_val/round2.txt"
fi

# third round (MODEL_CARD "Release 2.2, third round"): rehearsal, v2 dev + the first release's first
# 1,000 dev pairs per scene (re-synthesized with their seed); the second round's rule
RH_MODELS=${RH_MODELS:-"rh_a0 rh_a01 rh_a1"}
declare -A RH_FLAGS=([rh_a0]="--anchor-weight 0" [rh_a01]="--anchor-weight 0.1" [rh_a1]="--anchor-weight 1")
if has rhdata; then
  $PY -m training.synthesize_pairs --scene all --split dev --n-pairs 1000 --seed 0 --workers 2 --out "$R1/pairs_r1"
  $PY -m training.feature_cache "$R1"/pairs_r1/*/dev/pairs.csv --out-root "$R1/features_r1" --workers 2
fi
if has rhtrain; then
  for m in $RH_MODELS; do
    [ -f "$RUNS/$m/summary.json" ] && continue
    while [ "$(jobs -rp | wc -l)" -ge "$PARALLEL" ]; do sleep 5; done
    # shellcheck disable=SC2086
    $PY -m training.train $FT --lr 3e-4 ${RH_FLAGS[$m]} --train data/features_v2/*/dev "$R1"/features_r1/*/dev \
      --out "$RUNS/$m" > "data/logs/train_$m.log" 2>&1 &
  done
  wait
fi

# fourth round (MODEL_CARD "Release 2.2, fourth round"): rehearsal with the first release's first
# R4_PAIRS (6,000) dev pairs per scene; epochs chosen on v2 val + the first-release val split together
# (train.py pools val pairs by scene name: rain = first-release rain only, traffic = v2 + first-release
# traffic in one gallery); the second round's eligibility, then the lowest such val loss.
# rh4data = rh4pairs + rh4cache; then rh4train, round4 (below).
R4_PAIRS=${R4_PAIRS:-6000}
R4_MODELS=${R4_MODELS:-"rh4_a0 rh4_a01 rh4_a0_lr1e4"}
declare -A R4_FLAGS=([rh4_a0]="--anchor-weight 0 --lr 3e-4" [rh4_a01]="--anchor-weight 0.1 --lr 3e-4"
                     [rh4_a0_lr1e4]="--anchor-weight 0 --lr 1e-4")
if has rh4pairs || has rh4data; then  # the first 1,000 exist and are skipped
  $PY -m training.synthesize_pairs --scene all --split dev --n-pairs "$R4_PAIRS" --seed 0 --workers 2 --out "$R1/pairs_r1"
fi
if has rh4cache || has rh4data; then
  $PY -m training.feature_cache "$R1"/pairs_r1/*/dev/pairs.csv --out-root "$R1/features_r1" --workers 2
fi
if has rh4train; then
  for m in $R4_MODELS; do
    [ -f "$RUNS/$m/summary.json" ] && continue
    while [ "$(jobs -rp | wc -l)" -ge "$PARALLEL" ]; do sleep 5; done
    # shellcheck disable=SC2086
    $PY -m training.train $FT ${R4_FLAGS[$m]} --train data/features_v2/*/dev "$R1"/features_r1/*/dev \
      --val data/features_v2/*/val "$R1"/features_r1/*/val --out "$RUNS/$m" > "data/logs/train_$m.log" 2>&1 &
  done
  wait
fi
if has round4; then  # the second round's eligibility and pick (the runs' own val loss, both domains here)
  STEPS=round2 ROUND_MODELS="$R4_MODELS" OUT="${OUT4:-training/results/finetune_round4}" bash "$0"
fi
# the pick, evaluated once: STEPS=evaluate PICK=<pick> OUT=training/results/finetune_round4 bash training/run_finetune.sh
# fourth-round diagnostics (post hoc, val split only, never candidates): fine-tuning on the first
# release's 6,000 dev pairs per scene alone, with the fine-tuning recipe (scene batches of 512) and with
# the shipped heads' own recipe (background batches of 2048, level loss): does the first-release val hold?
declare -A D4_FLAGS=([d4_r1_scene]="--batching scene --batch-size 512"
                     [d4_r1_bg]="--batching background --batch-size 2048 --level-weight 1")
if has rh4diag; then
  for m in ${D4_MODELS:-d4_r1_scene d4_r1_bg}; do
    [ -f "$RUNS/$m/summary.json" ] && continue
    while [ "$(jobs -rp | wc -l)" -ge "$PARALLEL" ]; do sleep 5; done
    # shellcheck disable=SC2086
    $PY -m training.train $FT --lr 1e-4 --anchor-weight 0 ${D4_FLAGS[$m]} --train "$R1"/features_r1/*/dev \
      --val "$R1"/features_r1/*/val --out "$RUNS/$m" > "data/logs/train_$m.log" 2>&1 &
  done
  wait
fi
# ... and the first suggestion after them, also on dev/val only: the rehearsal runs' recipe (anchor 0,
# lr 3e-4, v2 + first-release dev, val on both) plus a distillation term on the first-release pairs
# (train --distill-weight: A(a), A(b) and the query kept near the shipped heads' there)
declare -A DISTILL_FLAGS=([d4_distill1]="--distill-weight 1" [d4_distill10]="--distill-weight 10")
# the rehearsal recipe plus the distillation term, one run per "name:flags" (flags added to the recipe;
# EXTRA_TRAIN: more training caches, between the v2 and the first-release dev caches)
recipe_runs() {
  for m in "$@"; do
    local name=${m%%:*}
    [ -f "$RUNS/$name/summary.json" ] && continue
    while [ "$(jobs -rp | wc -l)" -ge "$PARALLEL" ]; do sleep 5; done
    # shellcheck disable=SC2086
    # the default --distill comes first: a recipe's own --distill replaces it (argparse keeps the last; until the
    # thirteenth round it came last and silently replaced the recipes' own, see MODEL_CARD "a correction")
    $PY -m training.train $FT --lr 3e-4 --anchor-weight 0 --distill "$R1"/features_r1/*/dev ${m#*:} \
      --train data/features_v2/*/dev ${EXTRA_TRAIN:-} "$R1"/features_r1/*/dev \
      --val data/features_v2/*/val "$R1"/features_r1/*/val --out "$RUNS/$name" > "data/logs/train_$name.log" 2>&1 &
  done
  wait
}
distill_runs() {  # one run per name, its weight in DISTILL_FLAGS
  local m runs=()
  for m in "$@"; do runs+=("$m:${DISTILL_FLAGS[$m]}"); done
  recipe_runs "${runs[@]}"
}
if has rh4distill; then
  # shellcheck disable=SC2086
  distill_runs ${DD_MODELS:-d4_distill1 d4_distill10}
fi

# fifth round (MODEL_CARD "Release 2.2, fifth round"): the distillation weight is the variable, the rest is
# the rehearsal recipe of rh4_a0 (anchor 0, lr 3e-4, v2 + first-release dev, val on both domains), the
# first-release dev pairs distilled; then the second round's eligibility and the lowest such val loss.
R5_MODELS=${R5_MODELS:-"r5_w3 r5_w10 r5_w30"}
DISTILL_FLAGS+=([r5_w3]="--distill-weight 3" [r5_w10]="--distill-weight 10" [r5_w30]="--distill-weight 30")
if has rh5train; then
  # shellcheck disable=SC2086
  distill_runs $R5_MODELS
fi
if has round5; then
  STEPS=round2 ROUND_MODELS="$R5_MODELS" OUT="${OUT5:-training/results/finetune_round5}" bash "$0"
fi
# the pick, evaluated once: STEPS=evaluate PICK=<pick> OUT=training/results/finetune_round5 bash training/run_finetune.sh

# sixth round (MODEL_CARD "Release 2.2, sixth round"): three more distillation runs (W 20; W 10 with the
# first-release dev pairs listed twice; W 10 seed 1), then untrained blends (training/heads_blend.py): the
# shipped heads S interpolated toward the fine-tuned ones, a seed soup, each with the text offset scaled
# by s in {1, 1.25, 1.5, 2}; eligibility on the first-release val split (not below S), the pick = the
# highest v2 val R@1 with text among the eligible.
R1DEV="$R1/features_r1/rain/dev $R1/features_r1/traffic/dev"
DISTILL_FLAGS+=([r6_w20]="--distill-weight 20" [r6_w10_seed1]="--distill-weight 10 --seed 1")
if has r6train; then
  # shellcheck disable=SC2086
  distill_runs r6_w20 r6_w10_seed1
  EXTRA_TRAIN="$R1DEV" recipe_runs "r6_w10_r1x2:--distill-weight 10"  # the first-release dev pairs twice
fi
R6=$RUNS/r6
R6_SCALES=${R6_SCALES:-"1 1.25 1.5 2"}
blend() {  # name a b alpha: one heads file per text scale, $R6/<name>_s<scale>/heads.safetensors
  for s in $R6_SCALES; do
    [ -f "$R6/${1}_s$s/heads.safetensors" ] || \
      $PY -m training.heads_blend --a "$2" --b "$3" --alpha "$4" --text-scale "$s" --out "$R6/${1}_s$s/heads.safetensors"
  done
}
if has r6blend; then
  F=$RUNS/r5_w10/heads.safetensors
  blend S "$INIT" "$INIT" 0
  for a in 0.25 0.5 0.75 1; do blend "SF_a$a" "$INIT" "$F" "$a"; done
  blend W20 "$INIT" "$RUNS/r6_w20/heads.safetensors" 1
  blend R1x2 "$INIT" "$RUNS/r6_w10_r1x2/heads.safetensors" 1
  $PY -m training.heads_blend --a "$F" --b "$RUNS/r6_w10_seed1/heads.safetensors" --alpha 0.5 --out "$R6/seedsoup.safetensors"
  blend Soup "$INIT" "$R6/seedsoup.safetensors" 1
  blend SSoup_a0.5 "$INIT" "$R6/seedsoup.safetensors" 0.5
fi
OUT6=${OUT6:-training/results/finetune_round6}
if has round6; then
  ALL=""
  for d in "$R6"/*_s*/; do n=$(basename "$d"); ALL="$ALL --model $n=$d/heads.safetensors"; done
  # shellcheck disable=SC2086
  $PY -m training.evaluate $ALL --eval "$R1"/features_r1/*/val --out-dir "$OUT6/release1_val" --umap ''
  # shellcheck disable=SC2086
  $PY -m training.evaluate $ALL --eval data/features_v2/*/val --out-dir "$OUT6/v2_val" --umap ''
  # shellcheck disable=SC2086
  $PY -m training.round6_pick "$OUT6" ${PICK_ARGS:-} | tee "$OUT6/pick.txt"
fi
# the pick, evaluated once: STEPS=evaluate PICK=<pick> RUNS=$R6 OUT=$OUT6 bash training/run_finetune.sh

# eighth round (MODEL_CARD "Release 2.2, eighth round"): the fifth round's recipe (W 10) with harder in-batch
# negatives, pairs over one background recording (r8_bg) or runs of one clip a's edited versions (r8_anchor);
# each blended from S at alpha 0.5 and 1 (text scale 1); scored with the sixth round's 72 candidates by its rule.
if has r8train; then
  recipe_runs "r8_bg:--batching background --distill-weight 10" "r8_anchor:--batching anchor --distill-weight 10"
fi
if has r8blend; then
  for name in r8_bg r8_anchor; do
    for a in 0.5 1; do R6_SCALES=1 blend "${name#r8_}_a$a" "$INIT" "$RUNS/$name/heads.safetensors" "$a"; done
  done
fi
# scoring: STEPS=round6 OUT6=training/results/finetune_round8 bash training/run_finetune.sh

# ninth round (MODEL_CARD "Release 2.2, ninth round"): anchor batches (the eighth round's best v2 val) with W 20
# and with seed 1; blends from S at alpha 0.75 and 1, and the two anchor seeds' soup; the sixth round's rule.
if has r9train; then
  recipe_runs "r9_anchor_w20:--batching anchor --distill-weight 20" \
    "r9_anchor_seed1:--batching anchor --distill-weight 10 --seed 1"
fi
if has r9blend; then
  R6_SCALES=1 blend anchor_a0.75 "$INIT" "$RUNS/r8_anchor/heads.safetensors" 0.75
  $PY -m training.heads_blend --a "$RUNS/r8_anchor/heads.safetensors" --b "$RUNS/r9_anchor_seed1/heads.safetensors" \
    --alpha 0.5 --out "$R6/anchor_soup.safetensors"
  for a in 0.75 1; do
    R6_SCALES=1 blend "anchorW20_a$a" "$INIT" "$RUNS/r9_anchor_w20/heads.safetensors" "$a"
    R6_SCALES=1 blend "anchorSoup_a$a" "$INIT" "$R6/anchor_soup.safetensors" "$a"
  done
fi
# scoring: STEPS=round6 OUT6=training/results/finetune_round9 bash training/run_finetune.sh

# tenth round (MODEL_CARD "Release 2.2, tenth round"): the anchor recipe on the v2 dev pairs plus 3,000 more per
# scene (data/features_v2_extra, run_v2.sh STEPS=extra) and the first-release dev pairs; W 10 and W 20; blends
# from S at alpha 0.75 and 1; the sixth round's rule plus a margin over SF_a0.5_s1 (training/round6_pick.py --margin).
if has r10train; then
  EXTRA_TRAIN="data/features_v2_extra/*/dev" recipe_runs "r10_w10:--batching anchor --distill-weight 10" \
    "r10_w20:--batching anchor --distill-weight 20"
fi
if has r10blend; then
  for name in r10_w10 r10_w20; do
    for a in 0.75 1; do R6_SCALES=1 blend "${name#r10_}x_a$a" "$INIT" "$RUNS/$name/heads.safetensors" "$a"; done
  done
fi
# scoring: STEPS=round6 OUT6=training/results/finetune_round10 PICK_ARGS="--margin 0.005" bash training/run_finetune.sh

# eleventh round (MODEL_CARD "Release 2.2, eleventh round"): the tenth round's runs blended nearer the shipped
# heads (alpha 0.25 / 0.5 / 0.6 for r10_w10, 0.5 / 0.6 for r10_w20), text scale 1; the tenth round's rule.
if has r11blend; then
  for a in 0.25 0.5 0.6; do R6_SCALES=1 blend "w10x_a$a" "$INIT" "$RUNS/r10_w10/heads.safetensors" "$a"; done
  for a in 0.5 0.6; do R6_SCALES=1 blend "w20x_a$a" "$INIT" "$RUNS/r10_w20/heads.safetensors" "$a"; done
fi
# scoring: STEPS=round6 OUT6=training/results/finetune_round11 PICK_ARGS="--margin 0.005" bash training/run_finetune.sh

# for a later round (MODEL_CARD "Release 2.2, eleventh round": more first-release-domain pairs beside the extra
# v2 pairs): 6,000 more first-release dev pairs per scene, mixing seed 1, in their own folders; STEPS=r1extra
if has r1extra; then
  $PY -m training.synthesize_pairs --scene all --split dev --n-pairs 6000 --seed 1 --workers 2 --out "$R1/pairs_r1_extra"
  $PY -m training.feature_cache "$R1"/pairs_r1_extra/*/dev/pairs.csv --out-root "$R1/features_r1_extra" --workers 2
fi
# ... and a val-only diagnostic on it (never a candidate): the tenth round's W 10 run with the extra first-release
# pairs too, distilled on the first first-release dev set (the flags as they ran: MODEL_CARD "a correction");
# STEPS=d11 writes training/results/diag_more_both/
if has d11; then
  R1X="$R1/features_r1_extra/rain/dev $R1/features_r1_extra/traffic/dev"
  EXTRA_TRAIN="data/features_v2_extra/*/dev $R1X" recipe_runs \
    "d11_more_both:--batching anchor --distill-weight 10"
  D11=training/results/diag_more_both
  M="--model shipped=$INIT --model SF_a0.5_s1=$R6/SF_a0.5_s1/heads.safetensors"
  for a in 0.5 1; do  # blends outside $R6, so no later round scores them
    out=$RUNS/diag/d11_a$a.safetensors
    [ -f "$out" ] || $PY -m training.heads_blend --a "$INIT" --b "$RUNS/d11_more_both/heads.safetensors" --alpha "$a" --out "$out"
    M="$M --model d11_a$a=$out"
  done
  # shellcheck disable=SC2086
  $PY -m training.evaluate $M --eval "$R1"/features_r1/*/val --out-dir "$D11/release1_val" --umap ''
  # shellcheck disable=SC2086
  $PY -m training.evaluate $M --eval data/features_v2/*/val --out-dir "$D11/v2_val" --umap ''
fi

# twelfth round (MODEL_CARD "Release 2.2, twelfth round"): fresh val splits (other mixing seeds, same val sources),
# the diagnostic's recipe blended from S, the sixth round's rule with the margin over SF_a0.5_s1, on the fresh splits.
fresh_val() {  # TAG V2_SEED R1_SEED: v2 val 300 pairs per scene, first-release val 1,000 per scene, new mixing seeds
  $PY -m training.pairs_v2 --catalog data/catalog --out "data/pairs_v2_$1" --seed "$2" --pairs-per-scene val=300 --workers 2
  $PY -m training.describe_pairs "data/pairs_v2_$1"/*/val/pairs.csv
  $PY -m training.drop_silent_pairs "data/pairs_v2_$1"/*/val/pairs.csv
  $PY -m training.feature_cache "data/pairs_v2_$1"/*/val/pairs.csv --out-root "data/features_v2_$1" --workers 2
  $PY -m training.synthesize_pairs --scene all --split val --n-pairs 1000 --seed "$3" --workers 2 --out "$R1/pairs_r1_$1"
  $PY -m training.feature_cache "$R1/pairs_r1_$1"/*/val/pairs.csv --out-root "$R1/features_r1_$1" --workers 2
}
if has r12data; then
  fresh_val fresh 2 1
fi
R12=$RUNS/r12
if has round12; then
  O12=training/results/finetune_round12
  M="--model S_s1=$INIT --model SF_a0.5_s1=$R6/SF_a0.5_s1/heads.safetensors"
  for a in 0.25 0.5 0.6 0.75 1; do
    mkdir -p "$R12/d11_a${a}_s1"
    out=$R12/d11_a${a}_s1/heads.safetensors
    [ -f "$out" ] || $PY -m training.heads_blend --a "$INIT" --b "$RUNS/d11_more_both/heads.safetensors" --alpha "$a" --out "$out"
    M="$M --model d11_a${a}_s1=$out"
  done
  # shellcheck disable=SC2086
  $PY -m training.evaluate $M --eval "$R1"/features_r1_fresh/*/val --out-dir "$O12/release1_val" --umap ''
  # shellcheck disable=SC2086
  $PY -m training.evaluate $M --eval data/features_v2_fresh/*/val --out-dir "$O12/v2_val" --umap ''
  $PY -m training.round6_pick "$O12" --margin 0.005 | tee "$O12/pick.txt"
fi
# the pick, evaluated once: PICK=<pick>; heads in $R12 (or $R6 for SF_a0.5_s1, evaluated in the sixth round)

# thirteenth round (MODEL_CARD "Release 2.2, thirteenth round"): more pairs in both domains (v2 dev seed 3, 3,000
# per scene; first-release dev seed 2, 6,000 per scene) and fresh val splits again (v2 seed 4, first-release seed 2).
if has r13data; then
  fresh_val fresh2 4 2
  TAG=extra2 V2_SEED=3 R1_SEED=2 bash training/run_more_pairs.sh
fi
# ... its two runs, the diagnostic's recipe (anchor batches, W 10) on every dev set of both domains: from S, the
# first-release heads (git c61b157), and from S2, the shipped d11_a0.5_s1; then the blends, the rule (fresh2
# splits, floor and margin against S2) and its pick. As they ran (MODEL_CARD "A correction"): distilled on the
# first first-release dev set alone, which is listed twice (in X13 and by recipe_runs).
S2=${S2:-$R12/d11_a0.5_s1/heads.safetensors}
R13=$RUNS/r13
R1ALL="$R1/features_r1/rain/dev $R1/features_r1/traffic/dev $R1/features_r1_extra/rain/dev"
R1ALL="$R1ALL $R1/features_r1_extra/traffic/dev $R1/features_r1_extra2/rain/dev $R1/features_r1_extra2/traffic/dev"
X13="data/features_v2_extra/*/dev data/features_v2_extra2/*/dev $R1ALL"
if has r13train; then
  for start in S:$S_R1 S2:$S2; do
    FT="${FT/--init $INIT/--init ${start#*:}}" EXTRA_TRAIN="$X13" \
      recipe_runs "d13_from${start%%:*}:--batching anchor --distill-weight 10" &
  done
  wait
fi
if has round13; then
  O13=training/results/finetune_round13
  M="--model S2=$S2"
  for c in S:$S_R1:0.5 S:$S_R1:0.6 S:$S_R1:0.75 S:$S_R1:1 S2:$S2:0.5 S2:$S2:1; do
    IFS=: read -r from a_file alpha <<< "$c"
    name=d13_from${from}_a${alpha}_s1
    mkdir -p "$R13/$name"
    [ -f "$R13/$name/heads.safetensors" ] || $PY -m training.heads_blend --a "$a_file" \
      --b "$RUNS/d13_from$from/heads.safetensors" --alpha "$alpha" --out "$R13/$name/heads.safetensors"
    M="$M --model $name=$R13/$name/heads.safetensors"
  done
  # shellcheck disable=SC2086
  $PY -m training.evaluate $M --eval "$R1"/features_r1_fresh2/*/val --out-dir "$O13/release1_val" --umap ''
  # shellcheck disable=SC2086
  $PY -m training.evaluate $M --eval data/features_v2_fresh2/*/val --out-dir "$O13/v2_val" --umap ''
  $PY -m training.round6_pick "$O13" --margin 0.005 --incumbent S2 --floor S2 | tee "$O13/pick.txt"
fi
# the pick, evaluated once: STEPS=evaluate PICK=<pick> RUNS=runs/finetune/r13 INIT=$S2 OUT=$O13 bash training/run_finetune.sh
# a val-only diagnostic (MODEL_CARD "A correction"): d13_fromS2 distilled on all three first-release dev sets
if has d13distill; then
  FT="${FT/--init $INIT/--init $S2}" EXTRA_TRAIN="$X13" \
    recipe_runs "d13x_distill_all:--batching anchor --distill-weight 10 --distill $R1ALL"
  M="--model S2=$S2"
  for run in d13_fromS2 d13x_distill_all; do
    out=$RUNS/diag/${run}_a0.5.safetensors
    [ -f "$out" ] || $PY -m training.heads_blend --a "$S2" --b "$RUNS/$run/heads.safetensors" --alpha 0.5 --out "$out"
    M="$M --model $run=$RUNS/$run/heads.safetensors --model ${run}_a0.5=$out"
  done
  # shellcheck disable=SC2086
  $PY -m training.evaluate $M --eval "$R1"/features_r1/*/val --out-dir training/results/diag_distill_all/release1_val --umap ''
  # shellcheck disable=SC2086
  $PY -m training.evaluate $M --eval data/features_v2/*/val --out-dir training/results/diag_distill_all/v2_val --umap ''
fi
