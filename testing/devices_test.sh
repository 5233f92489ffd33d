#!/bin/bash
# testing/devices_test.sh — boots the device test image (testing/devices as root) with a
# virtio-blk-pci disk (modern only: disable-legacy=on) whose first 64 sectors the script fills
# with a known pattern; the guest lists PCI functions, reads those sectors through its user-space
# driver and writes sectors 100-123. Afterwards the script checks the written bytes in the image.
# Usage (from BUILD): devices_test.sh RUNNER ISO QEMU OVMF_CODE OVMF_VARS SMP
set -uo pipefail
runner=$1 iso=$2 qemu=$3 code=$4 vars=$5 smp=$6
out=${TEST_UNDECLARED_OUTPUTS_DIR:-$(mktemp -d)}
log=$out/serial.log
disk=${TEST_TMPDIR:-$(mktemp -d)}/disk.img

# byte j of sector s = (s * 31 + j * 7 + seed) & 0xff (seed 0x11: host, 0xa5: guest).
python3 - "$disk" <<'PY'
import sys
with open(sys.argv[1], "wb") as f:
    for s in range(2048):  # 1 MiB
        seed = 0x11 if s < 64 else None
        f.write(bytes(((s * 31 + j * 7 + seed) & 0xff) for j in range(512)) if seed is not None
                else bytes(512))
PY

"$runner" --iso "$iso" --qemu "$qemu" --ovmf-code "$code" --ovmf-vars "$vars" --headless \
  --no-framebuffer --smp "$smp" --mem 512M --timeout 300 --serial-log "$log" \
  --disk-writable "$disk" >/dev/null 2>&1
status=$?

failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
for expected in "pcid: [0-9]+ functions on [0-9]+ buses" \
  "pcid: .* 1af4:1042 class 01\.00 \(mass storage\)" \
  "virtio-blk: 2048 sectors, up" \
  "devices_test: [0-9]+ passed, 0 failed" \
  "root process exited with code 0"; do
  grep -aEq "$expected" "$log" || fail "no line matching /$expected/"
done
grep -aE "fault: process|PANIC|panic|FAILED" "$log" && fail "a fault, panic or failed check"
[ "$status" -eq 0 ] || fail "runner exit status $status, expected 0"
python3 - "$disk" <<'PY' || fail "the sectors the guest wrote are not in the image"
import sys
data = open(sys.argv[1], "rb").read()
for s in range(100, 124):
    want = bytes(((s * 31 + j * 7 + 0xa5) & 0xff) for j in range(512))
    if data[s * 512:(s + 1) * 512] != want:
        print("sector %d differs" % s)
        sys.exit(1)
for s in range(64):
    want = bytes(((s * 31 + j * 7 + 0x11) & 0xff) for j in range(512))
    if data[s * 512:(s + 1) * 512] != want:
        print("known sector %d changed" % s)
        sys.exit(1)
PY
if [ "$failures" -ne 0 ]; then
  echo "---- serial log ($log) ----"
  cat "$log"
  exit 1
fi
grep -aE "pcid: |virtio-blk: |devices_test: " "$log" | sed 's/^\[[ 0-9.]*\] //'
