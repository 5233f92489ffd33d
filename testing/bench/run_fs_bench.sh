#!/bin/bash
# testing/bench/run_fs_bench.sh — the file-system benchmark (docs/performance.md, "File system on
# virtio-blk"): boots //testing/bench:fs_image (testing/blkstack/blkstack_test.cc as root with
# `fsbench`: pcid, virtio-blk, vfsd -> fsd.fat32 on a fresh writable copy of //disk) on 1 CPU
# under `-icount shift=7,sleep=off -seed 1` and a fixed -rtc (run_qemu.sh --icount), once per
# run, and prints per 4 KiB: busy guest instructions (TSC minus the CPU's idle ticks from
# SystemCpuTimes, / 128) median over the 32 KiB calls and mean, and the raw TSC / 128 figure for
# reference (it includes the virtual time QEMU skips while the CPU halts waiting for the disk),
# and busy less the "empty wake-ups" (timer ticks that reached the waiting CPU and ran nothing).
# The image boots through the direct-boot shim (SHIM with SEABIOS; docs/boot-protocol.md).
# Usage (from BUILD): run_fs_bench.sh RUNNER ISO QEMU OVMF_CODE OVMF_VARS DISK SHIM SEABIOS
#   [--runs N] [--smoke] [--update-docs]
#   --runs N       boot N times (default 2), one table row per run and operation
#   --smoke        (the bazel test) one run; check only that it ran and printed both rows
#   --update-docs  (bazel run) rewrite the generated block in docs/performance.md
set -uo pipefail
runner=$1 iso=$2 qemu=$3 code=$4 vars=$5 disk_src=$6 shim=$7 seabios=$8
shift 8
source testing/bench/bench_lib.sh
runs=2 smoke="" update_docs=""
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs=$2; shift 2 ;;
    --smoke) smoke=1; runs=1; shift ;;
    --update-docs) update_docs=1; shift ;;
    *) echo "run_fs_bench: unknown argument $1" >&2; exit 2 ;;
  esac
done

smp=1
ticks_per_instruction=128
calls_per_4k=8  # 32 KiB calls
out_dir=${TEST_UNDECLARED_OUTPUTS_DIR:-$(mktemp -d)}
tmp=${TEST_TMPDIR:-$(mktemp -d)}

rows=""
qemu_command=""
for run in $(seq 1 "$runs"); do
  log=$out_dir/fs-serial-$run.log
  disk=$tmp/disk-$run.img
  rm -f "$disk"
  cp "$disk_src" "$disk" && chmod u+w "$disk"
  boot_measured "$iso" "$log" 1500 --direct-boot "$shim" --seabios "$seabios" --disk-writable "$disk"
  status=$measured_status
  [ -z "$qemu_command" ] && qemu_command=${measured_command//"$disk"/disk.img}
  # `fsbench: row NAME | busy median B | busy mean M | quiet median Q | quiet mean R | tsc median
  # T | tsc mean U | overhead O | n N` (ticks per 32 KiB call) -> a Markdown row in
  # instructions per 4 KiB.
  run_rows=$(sed -n 's/^.*fsbench: row \(.*\) | busy median \([0-9]*\) | busy mean \([0-9]*\) | quiet median \([0-9]*\) | quiet mean \([0-9]*\) | tsc median \([0-9]*\) | tsc mean \([0-9]*\) | overhead \([0-9]*\) | n \([0-9]*\).*$/\1|\2|\3|\4|\5|\6|\7|\8|\9/p' "$log" |
    awk -F'|' -v t="$ticks_per_instruction" -v k="$calls_per_4k" -v run="$run" '
      function per4k(x) { return sprintf("%.1f", x / t / k) }
      function group(s,   r) { r = ""; while (length(s) > 3) { r = "," substr(s, length(s) - 2) r; s = substr(s, 1, length(s) - 3) } return s r }
      function fmt(x,   whole, frac) { whole = int(x); frac = sprintf("%.1f", x - whole); return group(sprintf("%d", whole)) substr(frac, 2) }
      { printf "| %s | %d | %s | %s | %s | %s | %s | %s | %d |\n", $1, run, fmt(per4k($2)),
               fmt(per4k($3)), fmt(per4k($4)), fmt(per4k($5)), fmt(per4k($6)), fmt(per4k($7)), $9 }')
  printed=$(printf '%s\n' "$run_rows" | grep -c '^| ' || true)
  if [ "$status" -ne 0 ] || [ "$printed" -ne 2 ] || ! grep -q "blkstack_test: [0-9]* passed, 0 failed" "$log"; then
    echo "---- serial log ($log) ----"
    cat "$log"
    echo "FAIL: run $run: runner exit status $status (0 pass, 1 fail, 124 timeout), $printed of 2 rows"
    exit 1
  fi
  rows=$(printf '%s%s\n' "${rows:+$rows$'\n'}" "$run_rows")
done
rows=$(printf '%s\n' "$rows" | sort -s -t'|' -k2,2 -k3,3n)

commit=$(bench_commit)
header="| operation (16 MiB, 32 KiB calls) | run | busy instructions / 4 KiB, median | busy, mean | busy less empty wake-ups, median | less empty wake-ups, mean | TSC / 128 / 4 KiB, median | TSC / 128, mean | calls |
| --- | --- | --- | --- | --- | --- | --- | --- | --- |"
echo "File-system benchmark (testing/bench:fs), commit $commit, $smp CPU, $runs run(s)"
echo "QEMU: $qemu_command"
echo
echo "$header"
echo "$rows"

if [ -n "$smoke" ]; then
  echo "PASS: the benchmark ran and printed both rows (no thresholds are checked)"
  exit 0
fi
if [ -n "$update_docs" ]; then
  docs="${BUILD_WORKSPACE_DIRECTORY:?--update-docs needs bazel run}/docs/performance.md"
  begin='<!-- BEGIN generated: file-system benchmark (bazel run //testing/bench:fs -- --update-docs) -->'
  end='<!-- END generated: file-system benchmark -->'
  block=$(printf '%s\n\nCommit `%s`, %d CPU, %d runs, QEMU command (`disk.img`: a fresh copy of `//disk` per run):\n\n```\n%s\n```\n\n%s\n%s\n%s' \
    "$begin" "$commit" "$smp" "$runs" "$qemu_command" "$header" "$rows" "$end")
  replace_docs_block run_fs_bench "$docs" "$begin" "$end" "$block"
  echo "updated $docs"
fi
