#!/bin/bash
# testing/panic_test.sh — boots with a deliberate kernel page fault (`hiillos.crash=pagefault`)
# and checks the panic report: vector, error code, CR2, registers, CPU, and a backtrace whose
# frames carry symbol names from the kernel's embedded symbol table; QEMU must exit with failure.
# Usage: panic_test.sh RUNNER ISO QEMU OVMF_CODE OVMF_VARS
set -uo pipefail
runner=$1 iso=$2 qemu=$3 code=$4 vars=$5
log=${TEST_UNDECLARED_OUTPUTS_DIR:-$(mktemp -d)}/serial.log

"$runner" --iso "$iso" --qemu "$qemu" --ovmf-code "$code" --ovmf-vars "$vars" --headless \
  --no-framebuffer --timeout 120 --append "hiillos.test=crash hiillos.crash=pagefault" \
  --serial-log "$log" \
  >/dev/null 2>&1
status=$?

failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
expect() { grep -aEq "$2" "$log" || fail "$1 (no line matching /$2/)"; }
[ "$status" -eq 1 ] || fail "QEMU should exit with the kernel's failure verdict (1), got $status"
expect "panic header with the CPU" "KERNEL PANIC on cpu0"
expect "vector and error code" "#PF page fault \(vector 14\), error code 0x2"
expect "faulting address" "cr2 0x0*deadb000"
expect "general registers" "rax +0x[0-9a-f]+|rax=0x[0-9a-f]+|rax 0x[0-9a-f]+"
expect "control registers" "cr3 0x[0-9a-f]+|cr3=0x"
expect "symbolised faulting frame" "#0 0xffffffff8[0-9a-f]+ .*CrashWithPageFault\+0x"
expect "symbolised callers" "#1 0xffffffff8[0-9a-f]+ .*CrashIfRequested\\+0x"
if [ "$failures" -ne 0 ]; then
  echo "---- serial log ----"
  cat "$log"
  exit 1
fi
sed -n '/KERNEL PANIC/,/end of panic/p' "$log"
