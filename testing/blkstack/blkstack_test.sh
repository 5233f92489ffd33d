#!/bin/bash
# testing/blkstack/blkstack_test.sh — boots the block-stack image (root = blkstack_test.cc) with a
# writable virtio-blk-pci disk holding a fresh copy of //disk, checks the serial log (every
# EXPECT_REGEX matches, nothing faulted or failed, the root exited 0), then checks the image on
# the host: fsck.fat -n and mtools against the sequence's final state (verify_image.cc).
# Usage (from BUILD): blkstack_test.sh RUNNER ISO QEMU OVMF_CODE OVMF_VARS SMP VERIFY DISK FSCK
#   MCOPY EXPECT_REGEX...
set -uo pipefail
runner=$1 iso=$2 qemu=$3 code=$4 vars=$5 smp=$6 verify=$7 disk_src=$8 fsck=$9 mcopy=${10}
shift 10
log=${TEST_UNDECLARED_OUTPUTS_DIR:-$(mktemp -d)}/serial.log
source "$(dirname "$runner")/guest_log.sh"

boot_guest_disk 840 "$disk_src"
expect_lines "$@"
expect_status 0
BLKSTACK_IMAGE=$disk FAT32_FSCK=$fsck FAT32_MCOPY=$mcopy TEST_TMPDIR=$tmp "$verify" \
  || fail "the image on the host (fsck.fat, mtools)"
finish "blkstack_test: [0-9]+ passed|blkstack_test: fsbench:|pcid: |virtio-blk: |vfsd: |fsd.fat32: "
