#!/usr/bin/env bash
# Runs every benchmark program in DIR; JSON results go to build/bench-results/.
set -euo pipefail
dir=${1:?benchmark directory}
root=$(cd "$(dirname "$0")/.." && pwd)
out="$root/build/bench-results"
mkdir -p "$out"
for b in "$dir"/*; do
  [ -x "$b" ] || continue
  name=$(basename "$b")
  echo "== $name"
  "$b" --benchmark_out="$out/$name.json" --benchmark_out_format=json ${BENCH_ARGS:-}
done
echo "results in $out"
