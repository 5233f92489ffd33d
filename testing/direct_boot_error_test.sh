#!/bin/bash
# testing/direct_boot_error_test.sh — boots an image whose kernel.elf is corrupted through the
# direct-boot shim (bootloader/multiboot) and checks that the shim names the problem, never enters
# the kernel, and ends the run with a failure verdict through isa-debug-exit (runner status 1)
# instead of hanging until the timeout. Usage: direct_boot_error_test.sh RUNNER ISO QEMU
# OVMF_CODE OVMF_VARS EXPECTED_REGEX (the shim and SeaBIOS come from HIILLOS_DIRECT_BOOT and
# HIILLOS_SEABIOS, set by qemu_test).
set -uo pipefail
runner=$1 iso=$2 qemu=$3 code=$4 vars=$5 expected=$6
log=${TEST_UNDECLARED_OUTPUTS_DIR:-$(mktemp -d)}/serial.log

"$runner" --iso "$iso" --qemu "$qemu" --ovmf-code "$code" --ovmf-vars "$vars" --headless \
  --no-framebuffer --timeout 120 --serial-log "$log" >/dev/null 2>&1
status=$?

failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
grep -aq "hiillos direct boot: starting" "$log" || fail "the shim never started"
grep -aEq "hiillos direct boot: error: $expected" "$log" || fail "no shim error matching /$expected/"
grep -aq "entering the kernel" "$log" && fail "the shim entered the kernel"
grep -aq "cpu0 boot:" "$log" && fail "the kernel ran"
[ "$status" -eq 1 ] || fail "expected the shim's failure verdict (runner status 1), got $status"
if [ "$failures" -ne 0 ]; then
  echo "---- serial log ----"
  cat "$log"
  exit 1
fi
grep -a "hiillos direct boot: error" "$log"
