#!/bin/bash
# testing/fs/fs_guest_test.sh — boots the file-system test image (root = testing/fs/fs_test.cc)
# on N CPUs and checks the serial log: every EXPECT_REGEX matches a line, nothing faulted or
# panicked, no check failed, and the runner's status is 0 (the kernel's verdict: root exited 0).
# Usage (from BUILD): fs_guest_test.sh RUNNER ISO QEMU OVMF_CODE OVMF_VARS SMP EXPECT_REGEX...
# QEMU's time-out (840 s) stays below the `large` test time-out (900 s), so a hang still leaves a
# serial log; 4 TCG vCPUs on a loaded 2-core host need most of it.
set -uo pipefail
runner=$1 iso=$2 qemu=$3 code=$4 vars=$5 smp=$6
shift 6
log=${TEST_UNDECLARED_OUTPUTS_DIR:-$(mktemp -d)}/serial.log
source "$(dirname "$runner")/guest_log.sh"

boot_guest 840
expect_lines "$@"
expect_status 0
finish "fs_test: [0-9]+ passed|vfsd: |fsd.fat32: |ramdisk: "
