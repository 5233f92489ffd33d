#!/bin/bash
# testing/panic_smp_test.sh — the panic's report of the other CPUs (kernel/panic/cpu_reports.h):
# boots on SMP CPUs with `hiillos.crash=crosscall` (CPU 1 spins with interrupts off in
# DeliberateFaults::SpinWithInterruptsOff; the boot CPU's cross call to it times out and panics)
# and checks that after the panicking CPU's own dump every other CPU reports, in order and one
# whole report at a time, where the NMI found it: CPU 1 in the spinning function with
# interrupts off, in its thread, with a backtrace naming its thread's entry.
# Usage: panic_smp_test.sh RUNNER ISO QEMU OVMF_CODE OVMF_VARS SMP
set -uo pipefail
runner=$1 iso=$2 qemu=$3 code=$4 vars=$5 smp=$6
log=${TEST_UNDECLARED_OUTPUTS_DIR:-$(mktemp -d)}/serial.log
source "$(dirname "$runner")/guest_log.sh"

boot_guest 240 --append "hiillos.test=crash hiillos.crash=crosscall"
expect_status 1
hex='0x[0-9a-f]+'
cr=$'\r' # the serial port ends lines with CR LF
expect_one "KERNEL PANIC on cpu0"
expect_one "panic: ipi: cross call from cpu0: 1 of the CPUs in mask 0x2 did not answer"
# CPU 1: where it spins, interrupts off, its thread; then its backtrace up to the thread entry.
expect_one "^cpu1: interrupted at $hex [^ ]*DeliberateFaults::SpinWithInterruptsOff\+$hex \(kernel\), IF off, thread stuck-cpu1 \(id [0-9]+\)${cr}?$"
expect_one "^cpu1: interrupted at ==> ^  #1 $hex .*StuckCpuThread\+$hex${cr}?$"
# The own dump first, then the reports, then the end line.
expect_one "^backtrace: ==> ^other CPUs \(where the panic's NMI found them\):${cr}?$"
expect_one "^other CPUs ==> ^cpu1: interrupted at"
expect_one "^cpu1: interrupted at ==> ^=+ end of panic \(cpu0\)"
# Every other CPU answers, once, in index order; each report starts on a line of its own.
previous="^cpu1: interrupted at"
for ((cpu = 2; cpu < smp; cpu++)); do
  expect_one "^cpu$cpu: interrupted at $hex .*\((kernel|user)\), IF (on|off), (thread .*\(id [0-9]+.*\)|no thread \(idle\))${cr}?$"
  expect_one "$previous ==> ^cpu$cpu: interrupted at"
  expect_one "^cpu$cpu: interrupted at ==> ^=+ end of panic"
  previous="^cpu$cpu: interrupted at"
done
for ((cpu = 1; cpu < smp; cpu++)); do
  count=$(grep -ac "cpu$cpu: interrupted at" "$log")
  [ "$count" -eq 1 ] || fail "cpu$cpu reported $count times (expected once)"
done
expect_one "!no answer to the report NMI"
expect_one "!report not finished"
finish "KERNEL PANIC|^panic:|^other CPUs|^cpu[0-9]+: |^  #|end of panic"
