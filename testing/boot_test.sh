#!/bin/bash
# testing/boot_test.sh — boots the ISO in QEMU with `hiillos.test=boot` and checks what the kernel
# reports against what was put in: module names and exact sizes, the RAM QEMU was given, the
# command line, and the kernel's own verdict (isa-debug-exit). Serial log: test outputs.
# Usage (from BUILD): boot_test.sh RUNNER ISO QEMU OVMF_CODE OVMF_VARS ROOT_ELF INITFS
set -uo pipefail
runner=$1 iso=$2 qemu=$3 code=$4 vars=$5 root_elf=$6 initfs=$7
log=${TEST_UNDECLARED_OUTPUTS_DIR:-$(mktemp -d)}/serial.log
mem_mib=512
cmdline="hiillos.test=boot boot_test.marker=42"

"$runner" --iso "$iso" --qemu "$qemu" --ovmf-code "$code" --ovmf-vars "$vars" --headless \
  --mem "${mem_mib}M" --timeout 120 --append "$cmdline" --serial-log "$log" >/dev/null 2>&1
status=$?

failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }
expect_line() {  # expect_line DESCRIPTION REGEX
  grep -Eq "$2" "$log" || fail "$1 (no line matching /$2/)"
}

[ "$status" -eq 0 ] || fail "kernel verdict: runner exit status $status (0 = pass, 1 = fail, 124 = timeout)"
expect_line "loader entered the kernel" "hiillos loader: .* entering the kernel"
expect_line "kernel banner" "cpu0 boot: hiillos kernel, boot protocol v1"
root_size=$(stat -L -c %s "$root_elf")
initfs_size=$(stat -L -c %s "$initfs")
expect_line "root.elf reported with its exact size ($root_size)" "module root\.elf: $root_size bytes at 0x"
expect_line "initfs reported with its exact size ($initfs_size)" \
  "module initfs\.tar\.zst: $initfs_size bytes at 0x"
expect_line "command line passed through" "command line: \"$cmdline\""
expect_line "framebuffer reported" "fb: framebuffer: [0-9]+x[0-9]+ pitch [0-9]+"
expect_line "self-check verdict" "test: boot self-check passed"

# RAM the kernel counted must be what QEMU was given, less what the firmware keeps (< 8 MiB).
ram_kib=$(grep -Eo "RAM [0-9]+ KiB" "$log" | head -1 | grep -Eo "[0-9]+")
if [ -z "$ram_kib" ]; then
  fail "no RAM total in the memory map summary"
else
  max=$((mem_mib * 1024)) min=$((mem_mib * 1024 - 8 * 1024))
  if [ "$ram_kib" -gt "$max" ] || [ "$ram_kib" -lt "$min" ]; then
    fail "RAM $ram_kib KiB is not within [$min, $max] KiB for -m ${mem_mib}M"
  fi
fi

if [ "$failures" -ne 0 ]; then
  echo "---- serial log ($log) ----"
  cat "$log"
  exit 1
fi
echo "boot test passed (RAM $ram_kib KiB, root.elf $root_size bytes, initfs $initfs_size bytes)"
