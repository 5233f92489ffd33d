#!/bin/sh
# lib/ustar/fuzzer_smoke_test.sh — runs a libFuzzer binary briefly from a seed corpus; any crash,
# leak or failed check fails the test.
# Usage: fuzzer_smoke_test.sh FUZZER SEED_FILE... -- [libFuzzer flags...]
set -eu
fuzzer="$1"
shift
corpus="$(mktemp -d "${TEST_TMPDIR:-/tmp}/corpus.XXXXXX")"
while [ "$#" -gt 0 ] && [ "$1" != "--" ]; do
  cp "$1" "$corpus/"
  shift
done
[ "$#" -gt 0 ] && shift  # the "--"
exec "$fuzzer" "$@" "$corpus"
