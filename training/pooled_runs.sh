# Shell functions of the reranker rounds' one-library measures (training/run_round67.sh, run_round69.sh), sourced
# with PY, OUT (the round's folder of reranker files) and RUN_TAG (a prefix of the run files' names, "" for round 67).
model_dir() {  # a model folder with the shipped files and one reranker (the app reads nudge_rerank.json there)
  local dir=data/pooled/models/$1
  mkdir -p "$dir"
  for f in nudge_heads.safetensors nudge_text.onnx; do ln -sf "$PWD/assets/$f" "$dir/$f"; done
  cp "$OUT/$1.json" "$dir/nudge_rerank.json"
  echo "$dir"
}
pooled() {  # name, pooled CSV, library, its audio root: the app's evaluate of every pair against the whole library
  local name=$1 csv=$2 lib=$3 root=$4 out=data/pooled/runs/$(basename "${2%.csv}")_${RUN_TAG:-}$1.json
  [[ -f $lib.done ]] || { $PY main.py --data-dir "$lib" index "$root" > "$lib.index.log" 2>&1 && touch "$lib.done"; }
  [[ -s $out ]] || { NUDGE_MODEL_DIR=$(model_dir "$name") $PY main.py --data-dir "$lib" evaluate "$csv" \
    --gallery library --json > "$out.tmp" && mv "$out.tmp" "$out"; }
}
