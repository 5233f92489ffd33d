#!/bin/bash
# testing/services/services_test.sh — boots the services test image (root = services_test,
# which starts timed and rngd) on N CPUs with the RTC set to a fixed date, and checks the
# serial log: every EXPECT_REGEX must match, no fault, panic or failed check, runner status 0
# (root's exit code: the number of failed checks).
# Usage (from BUILD): services_test.sh RUNNER ISO QEMU OVMF_CODE OVMF_VARS SMP RTC_BASE
#                     EXPECT_REGEX...
set -uo pipefail
runner=$1 iso=$2 qemu=$3 code=$4 vars=$5 smp=$6 rtc_base=$7
shift 7
log=${TEST_UNDECLARED_OUTPUTS_DIR:-$(mktemp -d)}/serial.log

"$runner" --iso "$iso" --qemu "$qemu" --ovmf-code "$code" --ovmf-vars "$vars" --headless \
  --no-framebuffer --smp "$smp" --mem 512M --timeout 300 --serial-log "$log" \
  -- -rtc "base=$rtc_base" >/dev/null 2>&1
status=$?

failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
for expected in "$@"; do
  grep -aEq "$expected" "$log" || fail "no line matching /$expected/"
done
grep -aE "fault: process|PANIC|panic|FAILED" "$log" && fail "a fault, panic or failed check"
[ "$status" -eq 0 ] || fail "runner exit status $status, expected 0 (1 fail, 124 timeout)"
if [ "$failures" -ne 0 ]; then
  echo "---- serial log ($log) ----"
  cat "$log"
  exit 1
fi
grep -aE "services_test: |timed: |rngd: " "$log" | sed 's/^\[[ 0-9.]*\] //'
