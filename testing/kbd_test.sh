#!/bin/bash
# testing/kbd_test.sh — boots the keyboard-driver image (root.elf = testing/kbd/kbd_driver.cc),
# waits until the driver says "kbd: ready", presses and releases 'a' through the QEMU monitor
# (`sendkey a`, on a pipe chardev) and takes the verdict from QEMU's exit status: the kernel
# exits with pass iff the driver exited 0, which it does only after reading the make and break
# codes of 'a' (0x1e, 0x9e) after the IRQ 1 wake-ups. The serial log is kept in the outputs.
# Usage (from BUILD): kbd_test.sh RUNNER ISO QEMU OVMF_CODE OVMF_VARS
set -uo pipefail
runner=$1 iso=$2 qemu=$3 code=$4 vars=$5
out=${TEST_UNDECLARED_OUTPUTS_DIR:-$(mktemp -d)}
log=$out/serial.log
scratch=$(mktemp -d "${TEST_TMPDIR:-/tmp}/kbd.XXXXXX")
reader=""
trap '[ -n "$reader" ] && kill "$reader" 2>/dev/null; rm -rf "$scratch"' EXIT
# QEMU's pipe chardev reads commands from <path>.in and writes replies to <path>.out.
monitor=$scratch/monitor
mkfifo "$monitor.in" "$monitor.out"
: >"$log"

"$runner" --iso "$iso" --qemu "$qemu" --ovmf-code "$code" --ovmf-vars "$vars" --headless \
  --no-framebuffer --smp 1 --mem 512M --timeout 300 --serial-log "$log" -- \
  -chardev "pipe,id=monitor0,path=$monitor" -mon chardev=monitor0,mode=readline \
  >/dev/null 2>&1 &
qemu_runner=$!
# Drain the monitor's replies so QEMU never blocks writing them.
cat "$monitor.out" >"$out/monitor.log" &
reader=$!

sent=""
while kill -0 "$qemu_runner" 2>/dev/null; do
  if [ -z "$sent" ] && grep -aq "kbd: ready" "$log"; then
    echo "sendkey a" >"$monitor.in"
    sent=1
  fi
  sleep 0.2
done
wait "$qemu_runner"
status=$?

grep -aE "kbd: |PANIC|panic" "$log" | sed 's/^\[[ 0-9.]*\] //'
if [ "$status" -ne 0 ] || [ -z "$sent" ]; then
  echo "---- serial log ----"
  cat "$log"
  echo "FAIL: runner exit status $status (0 pass, 1 fail, 124 timeout); key sent: ${sent:-no}"
  exit 1
fi
grep -aq "kbd: interrupt, scancode 0x1e" "$log" || { echo "FAIL: no make code 0x1e"; exit 1; }
echo "PASS: IRQ 1 delivered scancode 0x1e to the user-space driver"
