#!/bin/bash
# testing/sysboot/fs_restart_test.sh — testing/user_test.sh with the //disk image attached
# (guest writes go to a temporary overlay): boots with `hiillos.test=user`, checks the serial log
# (every EXPECT_REGEX matches, one written !REGEX matches nothing, no fault or panic) and that
# the runner's status is EXPECTED_STATUS (root's exit code: init's, the test's failure count).
# Usage (from BUILD): fs_restart_test.sh RUNNER ISO QEMU OVMF_CODE OVMF_VARS SMP EXPECTED_STATUS
#                     DISK EXPECT_REGEX...
set -uo pipefail
runner=$1 iso=$2 qemu=$3 code=$4 vars=$5 smp=$6 expected_status=$7 disk=$8
shift 8
log=${TEST_UNDECLARED_OUTPUTS_DIR:-$(mktemp -d)}/serial.log

"$runner" --iso "$iso" --qemu "$qemu" --ovmf-code "$code" --ovmf-vars "$vars" --headless \
  --no-framebuffer --smp "$smp" --mem 512M --timeout 600 --serial-log "$log" \
  --disk "$disk" >/dev/null 2>&1
status=$?

failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
for expected in "$@"; do
  if [ "${expected:0:1}" = "!" ]; then
    grep -aEq "${expected:1}" "$log" && fail "a line matches /${expected:1}/"
  else
    grep -aEq "$expected" "$log" || fail "no line matching /$expected/"
  fi
done
grep -aE "fault: process|PANIC|panic" "$log" && fail "a fault or panic"
[ "$status" -eq "$expected_status" ] ||
  fail "runner exit status $status, expected $expected_status (0 pass, 1 fail, 124 timeout)"
if [ "$failures" -ne 0 ]; then
  echo "---- serial log ($log) ----"
  cat "$log"
  exit 1
fi
grep -aE "init: |vfsd: |fsd.fat32: |fs_restart_test: " "$log" | sed 's/^\[[ 0-9.]*\] //'
