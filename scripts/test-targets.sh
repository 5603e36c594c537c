#!/usr/bin/env bash
# Prints the build targets that the ctest tests matching a label regex run, so a build can make
# only what it tests (the sanitizer build runs the unit, vector and corpus-replay suites only).
# Usage: scripts/test-targets.sh BUILD_DIR LABEL_REGEX
set -euo pipefail
build_dir=$1
labels=$2
known=$(ninja -C "$build_dir" -t targets all | sed -n 's/^\([A-Za-z0-9_.-]*\): phony$/\1/p' | sort -u)
wanted=$(cd "$build_dir" && ctest -N -L "$labels" | sed -n 's/^ *Test *#[0-9]*: \(.*\)$/\1/p' |
  sed 's/_replays_its_corpus$//' | sort -u)
missing=$(comm -13 <(echo "$known") <(echo "$wanted"))
if [[ -n "$missing" ]]; then
  echo "test-targets.sh: no build target for test(s): $missing" >&2
  exit 1
fi
echo "$wanted" | tr '\n' ' '
