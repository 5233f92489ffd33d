#!/bin/bash
# testing/conformance.sh — boots the conformance image (root.elf = the conformance suite,
# cmdline hiillos.test=conformance) on N CPUs. The verdict is QEMU's exit status: the kernel
# exits with pass iff the root process's thread ended with ThreadExit(0) (no failed case); the
# serial log is kept in the test outputs.
# Usage (from BUILD): conformance.sh RUNNER ISO QEMU OVMF_CODE OVMF_VARS SMP
set -uo pipefail
runner=$1 iso=$2 qemu=$3 code=$4 vars=$5 smp=$6
log=${TEST_UNDECLARED_OUTPUTS_DIR:-$(mktemp -d)}/serial.log

"$runner" --iso "$iso" --qemu "$qemu" --ovmf-code "$code" --ovmf-vars "$vars" --headless \
  --no-framebuffer --smp "$smp" --mem 512M --timeout 300 --serial-log "$log" >/dev/null 2>&1
status=$?

grep -aE "conformance: +(FAILED|LEAK)|conformance: \[FAIL\]|PANIC|panic" "$log" |
  sed 's/^\[[ 0-9.]*\] //'
summary=$(grep -Eo "conformance: [0-9]+ passed, [0-9]+ failed" "$log" | tail -1)
echo "${summary:-conformance: no summary line (the suite did not finish)} on $smp CPU(s)"
if [ "$status" -ne 0 ] || [ -z "$summary" ]; then
  echo "---- serial log ----"
  cat "$log"
  echo "FAIL: runner exit status $status (0 pass, 1 fail, 124 timeout)"
  exit 1
fi
