#!/usr/bin/env bash
# Release 2.2, fourteenth round (MODEL_CARD): the shipped heads' recipe on features of YAMNet with every layer
# exact. Needs the exact caches: ARITH=exact bash training/run_train_data.sh (dev sets, fresh3 val splits) and
# STEPS=exactcache bash training/run_eval_data.sh (eval sets); fresh3 is also cached with the app's graph for S2.
# Usage: STEPS="s2cache train round14" nohup nice -n 5 bash training/run_round14.sh > data/logs/round14.log 2>&1 &
# then, for the pick only: STEPS=evaluate PICK=<pick> bash training/run_round14.sh; STEPS=round16 (the sixteenth
# round: the pick's text scale), STEPS=round17 (its recipe with seeds 1, 2), STEPS=round18 (plus first-release
# pairs in families), STEPS=round19 (plus families in the demo's design), STEPS=round28 (the nineteenth pick
# blended back). Steps skip finished work.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
STEPS=${STEPS:-"s2cache train round14"}
PARALLEL=${PARALLEL:-2}
RUNS=${RUNS:-runs/finetune/r14}
OUT=${OUT:-training/results/finetune_round14}
R1=${R1:-data/finetune}
X=_exact
mkdir -p data/logs "$RUNS" "$OUT"
has() { [[ " $STEPS " == *" $1 "* ]]; }
source training/eval_sets.sh
S_R1=runs/finetune/S_release1.safetensors  # S: the first release's heads, kept in git
[ -f "$S_R1" ] || git show c61b157:assets/nudge_heads.safetensors > "$S_R1"
S2=${S2:-runs/finetune/S2.safetensors}  # S2: the twelfth-round pick, shipped until round 28 (the app's first graph)
[ -f "$S2" ] || git show 5949b34:assets/nudge_heads.safetensors > "$S2"

if has s2cache; then  # the fresh3 val splits with the app's graph, for S2 (heads of that graph)
  $PY -m training.feature_cache data/pairs_v2_fresh3/*/val/pairs.csv --out-root data/features_v2_fresh3 --workers 2
  $PY -m training.feature_cache "$R1"/pairs_r1_fresh3/*/val/pairs.csv --out-root "$R1/features_r1_fresh3" --workers 2
fi

# the twelfth round's d11 recipe and data (v2 dev + extra, first-release dev + extra; distilled on the first
# first-release dev set; epochs on the old val splits), every cache exact
FT="--rho 1 --batching anchor --batch-size 512 --epochs 20 --patience 5 --seed 0 --threads 1 --lr 3e-4 --anchor-weight 0"
TRAIN="data/features_v2$X/*/dev data/features_v2_extra$X/*/dev $R1/features_r1$X/*/dev $R1/features_r1_extra$X/*/dev"
VAL="data/features_v2$X/*/val data/features$X/rain/val data/features$X/traffic/val"
declare -A RUN_FLAGS=(
  [d14_fromS]="--init $S_R1 --distill-weight 10 --distill $R1/features_r1$X/rain/dev $R1/features_r1$X/traffic/dev"
  [d14_fromSw0]="--init $S_R1 --distill-weight 0"
  [d14_fromS2]="--init $S2 --distill-weight 10 --distill $R1/features_r1$X/rain/dev $R1/features_r1$X/traffic/dev"
)
if has train; then
  for m in d14_fromS d14_fromSw0 d14_fromS2; do
    [ -f "$RUNS/$m/summary.json" ] && continue
    while [ "$(jobs -rp | wc -l)" -ge "$PARALLEL" ]; do sleep 5; done
    # shellcheck disable=SC2086
    $PY -m training.train $FT ${RUN_FLAGS[$m]} --train $TRAIN --val $VAL --out "$RUNS/$m" \
      > "data/logs/train_$m.log" 2>&1 &
  done
  wait
fi

fresh3_pick() {  # OUT_DIR "MODEL FLAGS": score on the fresh3 val splits (exact caches), then the rule against S2
  local out=$1 models=$2 split
  for split in v2_val:data/features_v2_fresh3 release1_val:$R1/features_r1_fresh3; do
    # shellcheck disable=SC2086
    $PY -m training.evaluate $models --eval "${split#*:}$X"/*/val --out-dir "$out/${split%%:*}" --umap ''
  done
  $PY -m training.round6_pick "$out" --also "$OUT/S2" --margin 0.005 --incumbent S2 --floor S2 | tee "$out/pick.txt"
}

# candidates: each run, and each run blended halfway back to its start (the graph of the run, B)
if has round14; then
  M=""
  for c in d14_fromS:$S_R1 d14_fromSw0:$S_R1 d14_fromS2:$S2; do
    run=${c%%:*} start=${c#*:}
    for alpha in 0.5 1; do
      name=${run}_a${alpha}_s1
      mkdir -p "$RUNS/$name"
      [ -f "$RUNS/$name/heads.safetensors" ] || $PY -m training.heads_blend --a "$start" \
        --b "$RUNS/$run/heads.safetensors" --alpha "$alpha" --out "$RUNS/$name/heads.safetensors"
      M="$M --model $name=$RUNS/$name/heads.safetensors"
    done
  done
  for split in v2_val:data/features_v2_fresh3 release1_val:$R1/features_r1_fresh3; do
    # shellcheck disable=SC2086
    $PY -m training.evaluate $M --eval "${split#*:}$X"/*/val --out-dir "$OUT/exact/${split%%:*}" --umap ''
    $PY -m training.evaluate --model "S2=$S2" --eval "${split#*:}"/*/val --out-dir "$OUT/S2/${split%%:*}" --umap ''
  done
  $PY -m training.round6_pick "$OUT/exact" --also "$OUT/S2" --margin 0.005 --incumbent S2 --floor S2 \
    | tee "$OUT/pick.txt"
fi

# the pick, evaluated once (the gate in MODEL_CARD): its held-out sets on exact caches, S2's on the app's graph
if has evaluate; then
  : "${PICK:?PICK names the pick of the round}"
  evaluate_sets "--model $PICK=$RUNS/$PICK/heads.safetensors" "$OUT/pick" "$X"
  bash training/demo_check.sh "$RUNS/$PICK/heads.safetensors" "$OUT/pick"
fi

# sixteenth round (MODEL_CARD): the fourteenth pick's text scale chosen on the fresh3 val splits
if has round16; then
  P=$RUNS/d14_fromSw0_a1_s1/heads.safetensors M=""
  for scale in 1 1.25 1.5 2; do
    name=d14_fromSw0_a1_s$scale
    mkdir -p "$RUNS/$name"
    [ -f "$RUNS/$name/heads.safetensors" ] || $PY -m training.heads_blend --a "$P" --alpha 0 --text-scale "$scale" \
      --out "$RUNS/$name/heads.safetensors"
    M="$M --model $name=$RUNS/$name/heads.safetensors"
  done
  fresh3_pick "$OUT/round16" "$M"
fi

# seventeenth round (MODEL_CARD): seeds 1 and 2 of the fourteenth pick's recipe
if has round17; then
  for seed in 1 2; do
    m=d14_fromSw0_seed$seed
    [ -f "$RUNS/$m/summary.json" ] && continue
    # shellcheck disable=SC2086
    $PY -m training.train ${FT/--seed 0/--seed $seed} ${RUN_FLAGS[d14_fromSw0]} --train $TRAIN --val $VAL \
      --out "$RUNS/$m" > "data/logs/train_$m.log" 2>&1 &
  done
  wait
  M="--model d14_fromSw0_a1_s1=$RUNS/d14_fromSw0_a1_s1/heads.safetensors"
  for seed in 1 2; do M="$M --model d14_fromSw0_seed${seed}_a1_s1=$RUNS/d14_fromSw0_seed$seed/heads.safetensors"; done
  fresh3_pick "$OUT/round17" "$M"
fi

# eighteenth round (MODEL_CARD): the fourteenth pick's recipe plus first-release pairs in families
if has round18; then
  FAM="$R1/features_r1_fam$X/rain/dev $R1/features_r1_fam$X/traffic/dev"
  m=d18_fam
  # shellcheck disable=SC2086
  [ -f "$RUNS/$m/summary.json" ] || $PY -m training.train $FT ${RUN_FLAGS[d14_fromSw0]} --train $TRAIN $FAM \
    --val $VAL --out "$RUNS/$m" > "data/logs/train_$m.log" 2>&1
  # the candidate in round18/, the fourteenth pick beside it for reference only (round18_ref/)
  for c in round18:d18_fam_a1_s1=$RUNS/$m/heads.safetensors \
           round18_ref:d14_fromSw0_a1_s1=$RUNS/d14_fromSw0_a1_s1/heads.safetensors; do
    for split in v2_val:data/features_v2_fresh3 release1_val:$R1/features_r1_fresh3 family_val:$R1/features_r1_fam; do
      $PY -m training.evaluate --model "${c#*:}" --eval "${split#*:}$X"/*/val --out-dir "$OUT/${c%%:*}/${split%%:*}" \
        --umap ''
    done
  done
  $PY -m training.round6_pick "$OUT/round18" --also "$OUT/S2" --margin 0.005 --incumbent S2 --floor S2 \
    | tee "$OUT/round18/pick.txt"
fi

# rounds 19-23 (MODEL_CARD): families in the demo's design (training.demo_families, demo recordings excluded),
# picked on a demo-design val set among the eligible. Needs data/features_demo_fam_exact.
DEMO="data/features_demo_fam$X/rain/dev data/features_demo_fam$X/traffic/dev"
FAM="$R1/features_r1_fam$X/rain/dev $R1/features_r1_fam$X/traffic/dev"
SELF="--self-negatives --self-negative-cos 0.85"
W0=${RUN_FLAGS[d14_fromSw0]}

train_runs() {  # "name|flags|caches"...: trained in parallel with the usual val splits; finished runs skipped
  local spec m flags data
  for spec in "$@"; do
    IFS='|' read -r m flags data <<< "$spec"
    [ -f "$RUNS/$m/summary.json" ] && continue
    # shellcheck disable=SC2086
    $PY -m training.train $flags --train $data --val $VAL --out "$RUNS/$m" > "data/logs/train_$m.log" 2>&1 &
  done
  wait
}
demo_score() {  # OUT_DIR RUN...: each run's heads on the fresh3 val splits and the demo-design val set
  local out=$1 split M; shift
  M=$(for m in "$@"; do printf -- "--model %s_a1_s1=%s " "$m" "$RUNS/$m/heads.safetensors"; done)
  for split in v2_val:data/features_v2_fresh3 release1_val:$R1/features_r1_fresh3 \
               demo_family_val:data/features_demo_fam; do
    # shellcheck disable=SC2086
    $PY -m training.evaluate $M --eval "${split#*:}$X"/*/val --out-dir "$out/${split%%:*}" --umap ''
  done
}
demo_pick() {  # OUT_DIR RUN...: scored, then the nineteenth round's rule against S2
  demo_score "$@"
  $PY -m training.round6_pick "$1" --also "$OUT/S2" --margin 0.005 --incumbent S2 --floor S2 \
    --rank-by demo_family_val | tee "$1/pick.txt"
}

if has round19; then  # plus the demo-design families; the fourteenth and eighteenth picks beside (reference)
  train_runs "d19_demo|$FT $W0|$TRAIN $DEMO" "d19_demo_fam|$FT $W0|$TRAIN $FAM $DEMO"
  demo_score "$OUT/round19_ref" d14_fromSw0 d18_fam
  demo_pick "$OUT/round19" d19_demo d19_demo_fam
fi
if has round20; then  # each add/remove pair's own clip a as a negative
  train_runs "d20_self|$FT $W0 --self-negatives|$TRAIN $DEMO" "d20_self_fam|$FT $W0 --self-negatives|$TRAIN $FAM $DEMO"
  demo_pick "$OUT/round20" d20_self d20_self_fam d19_demo_fam
fi
if has round21; then  # rho 3, or the edit contrast
  train_runs "d21_rho3|${FT/--rho 1/--rho 3} $W0|$TRAIN $FAM $DEMO" "d21_edit|$FT --edit-weight 0.5 $W0|$TRAIN $FAM $DEMO"
  demo_pick "$OUT/round21" d21_rho3 d21_edit d19_demo_fam
fi
if has round22; then  # self-negatives only where the edit is audible (backbone cosine below 0.85)
  train_runs "d22_selfcos|$FT $SELF $W0|$TRAIN $FAM $DEMO" \
    "d22_selfcos_edit|$FT $SELF --edit-weight 0.5 $W0|$TRAIN $FAM $DEMO"
  demo_pick "$OUT/round22" d22_selfcos d22_selfcos_edit d19_demo_fam d21_edit
fi
if has round23; then  # the distilled recipes (d14_fromS, d14_fromS2)
  train_runs "d23_fromS_demo|$FT ${RUN_FLAGS[d14_fromS]}|$TRAIN $FAM $DEMO" \
    "d23_fromS2_demo|$FT ${RUN_FLAGS[d14_fromS2]}|$TRAIN $FAM $DEMO"
  demo_pick "$OUT/round23" d23_fromS_demo d23_fromS2_demo
fi
if has round24; then  # plus the first-release dev sets extra2 and extra3
  MORE="$R1/features_r1_extra2$X/*/dev $R1/features_r1_extra3$X/*/dev"
  train_runs "d24_more|$FT $W0|$TRAIN $FAM $DEMO $MORE" "d24_more_selfcos|$FT $SELF $W0|$TRAIN $FAM $DEMO $MORE"
  demo_pick "$OUT/round24" d24_more d24_more_selfcos d19_demo_fam d22_selfcos
fi
if has round25; then  # plus the v2 dev sets extra2 and extra3: every synthesized dev set
  ALL="$TRAIN $FAM $DEMO $R1/features_r1_extra2$X/*/dev $R1/features_r1_extra3$X/*/dev"
  ALL="$ALL data/features_v2_extra2$X/*/dev data/features_v2_extra3$X/*/dev"
  train_runs "d25_all|$FT $W0|$ALL" "d25_all_selfcos|$FT $SELF $W0|$ALL"
  demo_pick "$OUT/round25" d25_all d25_all_selfcos d22_selfcos
fi
if has round28 || has round28train; then  # the nineteenth pick retrained (round28train: only that)
  train_runs "d19_demo_fam|$FT $W0|$TRAIN $FAM $DEMO"
fi
if has round28; then  # the retrained pick blended halfway back to S and halfway toward S2, scored, demo-filtered
  d19=$RUNS/d19_demo_fam/heads.safetensors
  CANDIDATES="d19_a1:$d19 d19_a0.5:$RUNS/d19_a0.5/heads.safetensors d19_S2_a0.5:$RUNS/d19_S2_a0.5/heads.safetensors"
  for start in d19_a0.5:$S_R1 d19_S2_a0.5:$S2; do
    out=$RUNS/${start%%:*}/heads.safetensors
    [ -f "$out" ] || $PY -m training.heads_blend --a "${start#*:}" --b "$d19" --alpha 0.5 --out "$out"
  done
  M=$(for c in $CANDIDATES; do printf -- "--model %s=%s " "${c%%:*}" "${c#*:}"; done)
  for split in v2_val:data/features_v2_fresh3 release1_val:$R1/features_r1_fresh3 demo_family_val:data/features_demo_fam; do
    # shellcheck disable=SC2086
    $PY -m training.evaluate $M --eval "${split#*:}$X"/*/val --out-dir "$OUT/round28/${split%%:*}" --umap ''
  done
  $PY -m training.round6_pick "$OUT/round28" --also "$OUT/S2" --margin 0.005 --incumbent S2 --floor S2 \
    --rank-by demo_family_val | tee "$OUT/round28/pick.txt"
  for c in $CANDIDATES; do
    bash training/demo_check.sh "${c#*:}" "$OUT/round28/demo_${c%%:*}"  # the filter (MODEL_CARD 28th round)
  done
fi
