# shellcheck shell=bash
# Sourced by run_finetune.sh and run_eval_data.sh: the held-out evaluations of a ship decision.
# evaluate_sets "MODEL FLAGS" OUT [SUFFIX]: v2 eval, the out-of-distribution set and the first release's eval
# split (training.evaluate), then the refine-loop benchmark on v2 eval and the OOD set; needs $PY. SUFFIX picks
# the caches of another YAMNet graph (_exact: data/features_v2_exact, ...; the heads must be trained on it).
evaluate_sets() {
  local models=$1 out=$2 x=${3:-} set
  mkdir -p "$out"
  # shellcheck disable=SC2086
  $PY -m training.evaluate $models --eval data/features_v2$x/*/eval --out-dir "$out/v2_eval" --umap ''
  # shellcheck disable=SC2086
  $PY -m training.evaluate $models --eval data/features_ood$x/ood/* --out-dir "$out/v2_ood" --umap ''
  # shellcheck disable=SC2086
  $PY -m training.evaluate $models --eval data/features$x/rain/eval data/features$x/traffic/eval \
    --out-dir "$out/release1_eval" --umap ''
  for set in v2_eval:data/features_v2$x/*/eval v2_ood:data/features_ood$x/ood/*; do
    # shellcheck disable=SC2086
    $PY -m training.refine_bench $models --eval ${set#*:} --out "$out/${set%%:*}/refine.json"
  done
}
