#!/bin/bash
# testing/bench/profile/profile.sh — per-function instruction profile of the null syscall and of
# the one-CPU IPC round trip (docs/performance.md, "Where the instructions go"). Boots the
# benchmark image under the benchmark's QEMU flags (-icount shift=7,sleep=off -seed 1, 4 CPUs)
# with a gdb stub, single-steps one vCPU through a window of each row (trace_pcs.py) and
# attributes one period to functions (attribute.py). Needs gdb and llvm-symbolizer-14/llvm-nm-14.
# Run from the workspace after `bazel build //testing/bench:bench_image //kernel`:
#   testing/bench/profile/profile.sh [gdb port, default 41234] [directory for the traces]
set -euo pipefail
port=${1:-41234}
out=$(mktemp -d "${2:-${TMPDIR:-/tmp}}/bench-profile.XXXXXX")
here=$(cd "$(dirname "$0")" && pwd)
tools=bazel-$(basename "$PWD")/external/system_tools
kernel=bazel-bin/kernel/kernel.elf
program=bazel-bin/testing/bench/bench.elf
cp "$tools/firmware/OVMF_VARS.fd" "$out/vars.fd"
chmod u+w "$out/vars.fd"
qemu_cmd=$(testing/qemu/run_qemu.sh --dry-run --iso bazel-bin/testing/bench/bench_image.iso \
  --qemu "$tools/bin/qemu-system-x86_64" --ovmf-code "$tools/firmware/OVMF_CODE.fd" \
  --ovmf-vars "$out/vars.fd" --headless --no-framebuffer --icount --smp 4)
# run_qemu.sh --dry-run prints the command (it would copy the variable store itself).
eval "$qemu_cmd -gdb tcp:127.0.0.1:$port" </dev/null >"$out/serial.log" 2>&1 &
qemu=$!
trap 'kill $qemu 2>/dev/null || true' EXIT

# The benchmark's null syscall number: one past the highest (uapi/syscalls.h, kSyscallCount).
null_number=$(($(grep -o 'X( *[0-9]\+,' uapi/syscalls.h | tr -dc '0-9\n' | sort -n | tail -1) + 1))
symbol() { llvm-nm-14 "$kernel" | awk -v s="$1" '$3 == s { print $1 }'; }
PORT=$port OUT=$out ENTRY=$(symbol SyscallEntry) \
  FAST=$(symbol _ZN7hiillos7syscall11IpcFastPathEmRNS_6object6ThreadERNS_4arch14InterruptFrameE) \
  NULL_NUMBER=$null_number \
  gdb -batch -nx -x "$here/trace_pcs.py" >"$out/gdb.log" 2>&1
echo "null syscall ($out/null.pcs):"
python3 "$here/attribute.py" "$kernel" "$program" "$out/null.pcs" 1
echo "IPC round trip, same address space, one CPU ($out/ipc.pcs):"
python3 "$here/attribute.py" "$kernel" "$program" "$out/ipc.pcs" 2
