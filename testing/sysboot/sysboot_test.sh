#!/bin/bash
# testing/sysboot/sysboot_test.sh — boots the normal image (//:iso: root → proc → init →
# /etc/init.conf) as a user would, with or without the //disk image attached, until init reports
# that fscat (the first file-system client) ended, then checks the serial log: every EXPECT_REGEX
# matches a line (one written !REGEX must match none; 'A ==> B': the first line matching B comes
# after the first matching A, testing/qemu/guest_log.sh), nothing faulted or panicked, and (with a
# disk) what fscat printed of /etc/motd is that file of the disk image, byte for byte.
# Usage (from BUILD): sysboot_test.sh RUNNER ISO QEMU OVMF_CODE OVMF_VARS SMP DISK|none MOTD
#                     EXPECT_REGEX...
set -uo pipefail
runner=$1 iso=$2 qemu=$3 code=$4 vars=$5 smp=$6 disk=$7 motd=$8
shift 8
log=${TEST_UNDECLARED_OUTPUTS_DIR:-$(mktemp -d)}/serial.log
source "$(dirname "$runner")/guest_log.sh"

disk_args=()
[ "$disk" != none ] && disk_args=(--disk "$disk")
boot_guest 600 "${disk_args[@]}" --until 'init: \[fscat\] \(pid [0-9]+\) (exited|was killed)'
expect_each "$@"
expect_no_panic
expect_status 4 "fscat's end seen; 124 timeout"
if [ "$disk" != none ]; then
  # fscat prints each line of the file as `fscat: /etc/motd: | LINE`.
  printed=$(sed -n 's/^.*fscat: \/etc\/motd: | \(.*\)$/\1/p' "$log" | tr -d '\r')
  [ "$printed" = "$(cat "$motd")" ] ||
    fail "fscat printed '$printed' for /etc/motd, the disk image holds '$(cat "$motd")'"
fi
finish "init: |pcid: |virtio-blk: |vfsd: |fsd.fat32: |fscat: "
