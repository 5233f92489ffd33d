#!/bin/bash
# testing/ring_stream_test.sh — boots the ring-stream image (root.elf =
# testing/ring_stream/ring_stream_main.cc) on 2 CPUs: 64 MiB from a producer on CPU 0 to a
# consumer process on CPU 1 through a ring in one shared frame, with Notify wake-ups. The
# verdict is QEMU's exit status (the kernel passes iff the producer exited 0: the consumer's
# checksum matched); the serial log is kept in the test outputs.
# Usage (from BUILD): ring_stream_test.sh RUNNER ISO QEMU OVMF_CODE OVMF_VARS
set -uo pipefail
runner=$1 iso=$2 qemu=$3 code=$4 vars=$5
log=${TEST_UNDECLARED_OUTPUTS_DIR:-$(mktemp -d)}/serial.log

"$runner" --iso "$iso" --qemu "$qemu" --ovmf-code "$code" --ovmf-vars "$vars" --headless \
  --no-framebuffer --smp 2 --mem 512M --timeout 600 --serial-log "$log" >/dev/null 2>&1
status=$?

grep -aE "ring: |PANIC|panic" "$log" | sed 's/^\[[ 0-9.]*\] //'
if [ "$status" -ne 0 ] || ! grep -aq "ring: consumer exited .*: match" "$log"; then
  echo "---- serial log ----"
  cat "$log"
  echo "FAIL: runner exit status $status (0 pass, 1 fail, 124 timeout)"
  exit 1
fi
echo "PASS: 64 MiB streamed between two processes, checksums match"
