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
source "$(dirname "$runner")/guest_log.sh"

boot_guest 300 -- -rtc "base=$rtc_base"
expect_lines "$@"
expect_status 0
finish "services_test: |timed: |rngd: "
