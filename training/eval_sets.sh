# shellcheck shell=bash
# Sourced by run_finetune.sh and run_eval_data.sh: the held-out evaluations of a ship decision.
# evaluate_sets "MODEL FLAGS" OUT: v2 eval, the out-of-distribution set and the first release's eval split
# (training.evaluate), then the refine-loop benchmark on v2 eval and the OOD set; needs $PY.
evaluate_sets() {
  local models=$1 out=$2 set
  mkdir -p "$out"
  # shellcheck disable=SC2086
  $PY -m training.evaluate $models --eval data/features_v2/*/eval --out-dir "$out/v2_eval" --umap ''
  # shellcheck disable=SC2086
  $PY -m training.evaluate $models --eval data/features_ood/ood/* --out-dir "$out/v2_ood" --umap ''
  # shellcheck disable=SC2086
  $PY -m training.evaluate $models --eval data/features/rain/eval data/features/traffic/eval \
    --out-dir "$out/release1_eval" --umap ''
  for set in v2_eval:data/features_v2/*/eval v2_ood:data/features_ood/ood/*; do
    # shellcheck disable=SC2086
    $PY -m training.refine_bench $models --eval ${set#*:} --out "$out/${set%%:*}/refine.json"
  done
}
