#!/usr/bin/env bash
# The ship gate's demo checks for a heads file: R@1 on the demo pairs and the first example (rain_01 + "add
# thunder"), then every single-edit pair of a family against the whole library (training/demo_grid.py), logged
# with their commands. Usage: bash training/demo_check.sh HEADS OUT_DIR  (writes OUT_DIR/demo.txt)
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-.venv/bin/python}
heads=$1 out=$2
data=$(mktemp -d /tmp/nudge_demo_check.XXXX)
trap 'rm -rf "$data"' EXIT
mkdir -p "$out"
run() { echo "\$ python main.py $(printf '%q ' "$@")"; $PY main.py "$@" 2>&1 | grep -v 'file/s\]'; }
{
  echo "[eval $(date -u +%H:%M:%S)] demo, heads $heads"
  run --data-dir "$data" --heads "$heads" evaluate assets/demo_library/demo_pairs.csv
  run --data-dir "$data" --heads "$heads" index assets/demo_library
  run --data-dir "$data" --heads "$heads" search --query assets/demo_library/rain_01.ogg --modify 'add thunder' --top 5
  echo "\$ python -m training.demo_grid --out $data/grid.csv"; $PY -m training.demo_grid --out "$data/grid.csv"
  run --data-dir "$data" --heads "$heads" evaluate "$data/grid.csv" --gallery library --per-pair
} | tee "$out/demo.txt"
