#!/bin/bash
# testing/loader_error_test.sh — boots an ISO whose kernel.elf is corrupted and checks that the
# loader prints a clear error naming the problem and returns to the firmware (the kernel never
# starts, nothing faults). The verdict is the firmware's own: its boot manager reports that the
# CD's boot option failed, and the runner ends QEMU right there (--until), long before the
# timeout. Usage: loader_error_test.sh RUNNER ISO QEMU OVMF_CODE OVMF_VARS EXPECTED_REGEX
set -uo pipefail
runner=$1 iso=$2 qemu=$3 code=$4 vars=$5 expected=$6
log=${TEST_UNDECLARED_OUTPUTS_DIR:-$(mktemp -d)}/serial.log
# OVMF's boot manager, when the loader returns an error status from the CD's boot option.
firmware_verdict='BdsDxe: failed to start Boot[0-9A-F]+ "UEFI QEMU DVD-ROM[^"]*" .*: Load Error'

"$runner" --iso "$iso" --qemu "$qemu" --ovmf-code "$code" --ovmf-vars "$vars" --headless \
  --no-framebuffer --timeout 120 --until "$firmware_verdict" --serial-log "$log" >/dev/null 2>&1
status=$?

failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
grep -aEq "hiillos loader: error: $expected" "$log" || fail "no loader error matching /$expected/"
grep -aq "entering the kernel" "$log" && fail "the loader entered the kernel"
grep -aEq "X64 Exception|!!!! " "$log" && fail "the firmware reported an exception"
grep -aq "hiillos loader: starting" "$log" || fail "the loader never started"
[ "$status" -eq 4 ] ||
  fail "expected the run to end on the firmware's verdict (runner status 4), got $status"
if [ "$failures" -ne 0 ]; then
  echo "---- serial log ----"
  cat "$log"
  exit 1
fi
grep -a "hiillos loader: error" "$log"
