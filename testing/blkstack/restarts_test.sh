#!/bin/bash
# testing/blkstack/restarts_test.sh — boots the restart image (root = restarts_test.cc) with a
# writable virtio-blk-pci disk holding a fresh copy of //disk, checks the serial log (every
# EXPECT_REGEX matches, nothing faulted or failed, the root exited 0), then runs fsck.fat -n on
# the image.
# Usage (from BUILD): restarts_test.sh RUNNER ISO QEMU OVMF_CODE OVMF_VARS SMP DISK FSCK
#   EXPECT_REGEX...
set -uo pipefail
runner=$1 iso=$2 qemu=$3 code=$4 vars=$5 smp=$6 disk_src=$7 fsck=$8
shift 8
out=${TEST_UNDECLARED_OUTPUTS_DIR:-$(mktemp -d)}
log=$out/serial.log
source "$(dirname "$runner")/guest_log.sh"

boot_guest_disk 840 "$disk_src"
expect_lines "$@"
expect_status 0
"$fsck" -n "$disk" >"$out/fsck.txt" 2>&1 || fail "fsck.fat -n on the image: $(cat "$out/fsck.txt")"
finish "restarts_test: |pcid: |virtio-blk: |vfsd: |fsd.fat32: "
