#!/bin/bash
# toolchains/rules/run_fuzzer.sh — FUZZER RUNS [SEED_FILE...] [-- LIBFUZZER_ARGS...]
# Copies the seed files into a fresh corpus directory (runfiles are read-only) and runs the
# fuzzer for RUNS inputs from a fixed seed. Arguments after `--` (e.g. from
# `bazel run //x:y_fuzzer -- -max_total_time=600`) go to libFuzzer instead of those defaults.
set -euo pipefail
fuzzer=$1 runs=$2
shift 2
corpus=$(mktemp -d "${TEST_TMPDIR:-/tmp}/corpus.XXXXXX")
extra=()
while [ $# -gt 0 ]; do
  case "$1" in
    --) shift; extra=("$@"); break ;;
    -*) extra=("$@"); break ;;
    *) cp -L "$1" "$corpus/seed-$(basename "$1")"; shift ;;
  esac
done
if [ ${#extra[@]} -gt 0 ]; then
  exec "$fuzzer" "${extra[@]}" "$corpus"  # e.g. -max_total_time=600: no default run limit
fi
exec "$fuzzer" "-runs=$runs" -seed=1 "$corpus"
