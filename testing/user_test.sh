#!/bin/bash
# testing/user_test.sh — boots an image with `hiillos.test=user` (root → /sbin/init → the
# programs of its init.conf) on N CPUs and checks the serial log. The kernel ends the run when
# root exits: runner status 0 iff root's exit code was 0. Every EXPECT_REGEX must match a line
# (one written !REGEX must match none), no line may show a fault, a panic or a failed check,
# and the status must be EXPECTED_STATUS.
# Usage (from BUILD): user_test.sh RUNNER ISO QEMU OVMF_CODE OVMF_VARS SMP EXPECTED_STATUS
#                     EXPECT_REGEX...
set -uo pipefail
runner=$1 iso=$2 qemu=$3 code=$4 vars=$5 smp=$6 expected_status=$7
shift 7
log=${TEST_UNDECLARED_OUTPUTS_DIR:-$(mktemp -d)}/serial.log

"$runner" --iso "$iso" --qemu "$qemu" --ovmf-code "$code" --ovmf-vars "$vars" --headless \
  --no-framebuffer --smp "$smp" --mem 512M --timeout 300 --serial-log "$log" >/dev/null 2>&1
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
grep -aE "fault: process|PANIC|panic|FAILED" "$log" && fail "a fault, panic or failed check"
[ "$status" -eq "$expected_status" ] ||
  fail "runner exit status $status, expected $expected_status (0 pass, 1 fail, 124 timeout)"
if [ "$failures" -ne 0 ]; then
  echo "---- serial log ($log) ----"
  cat "$log"
  exit 1
fi
grep -aE "root: |init: |exit_with: |spawn_test: [0-9]|vm: |vm_child: |vm_test: " "$log" | sed 's/^\[[ 0-9.]*\] //'
