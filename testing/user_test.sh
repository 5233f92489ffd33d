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
source "$(dirname "$runner")/guest_log.sh"

boot_guest 300
expect_lines "$@"
expect_status "$expected_status"
finish "root: |init: |exit_with: |spawn_test: [0-9]|vm: |vm_child: |vm_test: "
