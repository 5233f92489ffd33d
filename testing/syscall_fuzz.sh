#!/bin/bash
# testing/syscall_fuzz.sh — boots the fuzzer image (root.elf = testing/syscall_fuzz) and reports
# its verdict: QEMU's exit status, which the kernel sets from the root process's exit code (0 =
# every call answered, workers exited normally, nothing leaked); a kernel panic or a hang
# (timeout) fails too. The serial log goes to the test outputs (or a temporary directory,
# printed, under `bazel run`).
# Usage: syscall_fuzz.sh RUNNER ISO QEMU OVMF_CODE OVMF_VARS [--smp N] [--seed N] [--calls N]
#        [--threads N] [--timeout S]
set -uo pipefail
runner=$1 iso=$2 qemu=$3 code=$4 vars=$5
shift 5
smp=4 seed=1 calls=100000 threads="" timeout_s=""
while [ $# -gt 0 ]; do
  case "$1" in
    --smp) smp=$2; shift 2 ;;
    --seed) seed=$2; shift 2 ;;
    --calls) calls=$2; shift 2 ;;
    --threads) threads=$2; shift 2 ;;
    --timeout) timeout_s=$2; shift 2 ;;
    *) echo "syscall_fuzz: unknown option '$1'" >&2; exit 2 ;;
  esac
done
# Generous: a hang is the failure this bounds, not a slow host.
[ -z "$timeout_s" ] && timeout_s=$((600 + calls / 200))
out_dir=${TEST_UNDECLARED_OUTPUTS_DIR:-$(mktemp -d)}
log=$out_dir/serial.log
cmdline="hiillos.test=conformance fuzz.seed=$seed fuzz.calls=$calls"
[ -n "$threads" ] && cmdline+=" fuzz.threads=$threads"
[ -z "${TEST_UNDECLARED_OUTPUTS_DIR:-}" ] && echo "syscall_fuzz: serial log in $log"

"$runner" --iso "$iso" --qemu "$qemu" --ovmf-code "$code" --ovmf-vars "$vars" --headless \
  --no-framebuffer --smp "$smp" --mem 512M --timeout "$timeout_s" --append "$cmdline" \
  --serial-log "$log" >/dev/null 2>&1
status=$?

grep -aE "syscall_fuzz:|PANIC|panic" "$log" | sed 's/^\[[ 0-9.]*\] //'
summary=$(grep -aEo "syscall_fuzz: seed [0-9]+: [0-9]+ calls done.*" "$log" | tail -1)
if [ "$status" -ne 0 ] || [ -z "$summary" ]; then
  echo "---- serial log (last 200 lines) ----"
  tail -n 200 "$log"
  echo "FAIL: runner exit status $status (0 pass, 1 fail, 124 timeout); reproduce with" \
    "bazel run //testing:syscall_fuzz_run -- --smp $smp --seed $seed --calls $calls"
  exit 1
fi
echo "PASS: $summary"
