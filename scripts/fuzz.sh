#!/usr/bin/env bash
# Runs every libFuzzer target in DIR for SECONDS each, starting from fuzz/corpus/<target>.
set -euo pipefail
dir=${1:?fuzzer directory}
seconds=${2:-60}
root=$(cd "$(dirname "$0")/.." && pwd)
status=0
for fuzzer in "$dir"/*_fuzzer; do
  [ -x "$fuzzer" ] || continue
  name=$(basename "$fuzzer")
  new="$root/build/fuzz/corpus-new/$name"
  mkdir -p "$new" "$root/build/fuzz/crashes/$name"
  dict=()
  [ -f "$root/fuzz/dict/$name.dict" ] && dict=(-dict="$root/fuzz/dict/$name.dict")
  [ ${#dict[@]} -eq 0 ] && [ -f "$root/fuzz/dict/cbor.dict" ] && dict=(-dict="$root/fuzz/dict/cbor.dict")
  echo "== $name for ${seconds}s"
  if ! "$fuzzer" -max_total_time="$seconds" -print_final_stats=1 "${dict[@]}" \
       -artifact_prefix="$root/build/fuzz/crashes/$name/" "$new" "$root/fuzz/corpus/$name" \
       2>"$root/build/fuzz/$name.log"; then
    echo "FAILED: $name (see build/fuzz/$name.log and build/fuzz/crashes/$name/)"
    tail -30 "$root/build/fuzz/$name.log"
    status=1
  else
    grep -E "stat::number_of_executed_units|stat::peak_rss_mb" "$root/build/fuzz/$name.log" | sed 's/^/   /'
  fi
done
exit $status
