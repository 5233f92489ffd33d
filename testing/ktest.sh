#!/bin/bash
# testing/ktest.sh — boots the test kernel with `hiillos.test=ktest` on N CPUs and reports the
# in-kernel suite's result. The verdict is QEMU's exit status (isa-debug-exit from the kernel);
# the serial log is kept in the test outputs.
# Usage (from BUILD): ktest.sh RUNNER ISO QEMU OVMF_CODE OVMF_VARS SMP [EXTRA_CMDLINE]
set -uo pipefail
runner=$1 iso=$2 qemu=$3 code=$4 vars=$5 smp=$6 extra=${7:-}
log=${TEST_UNDECLARED_OUTPUTS_DIR:-$(mktemp -d)}/serial.log
filter=${TESTBRIDGE_TEST_ONLY:-}
cmdline="hiillos.test=ktest $extra"
[ -n "$filter" ] && cmdline+=" ktest.filter=$filter"

"$runner" --iso "$iso" --qemu "$qemu" --ovmf-code "$code" --ovmf-vars "$vars" --headless \
  --no-framebuffer --smp "$smp" --mem 512M --timeout 240 --append "$cmdline" \
  --serial-log "$log" >/dev/null 2>&1
status=$?

grep -aE "ktest: \[ FAIL \]|ktest:  +.*expected|PANIC|panic" "$log" | sed 's/^\[[ 0-9.]*\] //'
summary=$(grep -Eo "ktest: [0-9]+ passed, [0-9]+ failed" "$log" | tail -1)
echo "${summary:-ktest: no summary line (the kernel did not finish the suite)} on $smp CPU(s)"
if [ "$status" -ne 0 ] || [ -z "$summary" ]; then
  echo "---- serial log ----"
  cat "$log"
  echo "FAIL: runner exit status $status (0 pass, 1 fail, 124 timeout)"
  exit 1
fi
