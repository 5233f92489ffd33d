#!/bin/bash
# testing/sysboot/fs_restart_test.sh — testing/user_test.sh with a writable copy of the //disk
# image attached: boots with `hiillos.test=user`, checks the serial log (every EXPECT_REGEX
# matches, one written !REGEX matches nothing, 'A ==> B' / 'A ~~> B' lines in that order
# (testing/qemu/guest_log.sh), no fault or panic) and that the runner's status
# is EXPECTED_STATUS (root's exit code: init's, the test's failure count), then runs
# `fsck.fat -n` on the image the guest used (services were killed under it mid-read).
# Usage (from BUILD): fs_restart_test.sh RUNNER ISO QEMU OVMF_CODE OVMF_VARS SMP EXPECTED_STATUS
#                     DISK FSCK EXPECT_REGEX...
set -uo pipefail
runner=$1 iso=$2 qemu=$3 code=$4 vars=$5 smp=$6 expected_status=$7 disk_src=$8 fsck=$9
shift 9
out=${TEST_UNDECLARED_OUTPUTS_DIR:-$(mktemp -d)}
log=$out/serial.log
source "$(dirname "$runner")/guest_log.sh"

boot_guest_disk 840 "$disk_src"
expect_each "$@"
expect_no_panic
expect_status "$expected_status"
"$fsck" -n "$disk" >"$out/fsck.txt" 2>&1 || fail "fsck.fat -n on the image: $(cat "$out/fsck.txt")"
finish "init: |pcid: |virtio-blk: |vfsd: |fsd.fat32: |fs_restart_test: |fs_reader: "
