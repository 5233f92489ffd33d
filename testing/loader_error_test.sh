#!/bin/bash
# testing/loader_error_test.sh — boots an ISO whose kernel.elf is corrupted and checks that the
# loader prints a clear error naming the problem and returns to the firmware (the kernel never
# starts, nothing faults). The firmware then sits in its boot menu, so the run ends on the
# runner's timeout. Usage: loader_error_test.sh RUNNER ISO QEMU OVMF_CODE OVMF_VARS EXPECTED_REGEX
set -uo pipefail
runner=$1 iso=$2 qemu=$3 code=$4 vars=$5 expected=$6
log=${TEST_UNDECLARED_OUTPUTS_DIR:-$(mktemp -d)}/serial.log

"$runner" --iso "$iso" --qemu "$qemu" --ovmf-code "$code" --ovmf-vars "$vars" --headless \
  --timeout 30 --serial-log "$log" >/dev/null 2>&1
status=$?

failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
grep -aEq "hiillos loader: error: $expected" "$log" || fail "no loader error matching /$expected/"
grep -aq "entering the kernel" "$log" && fail "the loader entered the kernel"
grep -aEq "X64 Exception|!!!! " "$log" && fail "the firmware reported an exception"
grep -aq "hiillos loader: starting" "$log" || fail "the loader never started"
[ "$status" -eq 124 ] || fail "expected the run to end on the timeout (firmware menu), got $status"
if [ "$failures" -ne 0 ]; then
  echo "---- serial log ----"
  cat "$log"
  exit 1
fi
grep -a "hiillos loader: error" "$log"
