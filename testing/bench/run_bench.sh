#!/bin/bash
# testing/bench/run_bench.sh — boots the benchmark image under QEMU with
# `-icount shift=7,sleep=off -seed 1` and a fixed -rtc (run_qemu.sh --icount), where the guest TSC
# advances exactly 128 per executed instruction, and prints the table in guest instructions per
# operation (median and minimum over the samples, the NOP-variant overhead subtracted), the exact
# QEMU command and the commit. Then it boots the normal image (SYSTEM_ISO, //:iso) under the same
# flags until init prints its boot-stage summary (docs/boot-stages.md) and reports each stage's
# TSC ticks as guest instructions, and the row "ready": kernel entry to all services ready (every
# service of the normal init.conf started; no disk is attached, so vfsd reports its missing root
# device and the rest runs as usual). Between the two it boots SPAWN_ISO (testing/bench/proc_spawn:
# root, vm, proc, init and /bin/spawn_bench) until spawn_bench is done, and adds its row (process
# spawn through proc) to the table.
# The benchmark and spawn images boot through the direct-boot shim (SHIM, with SEABIOS: the
# kernel's figures do not depend on the firmware, and OVMF under -icount is 623 million
# instructions per boot); the normal image boots through OVMF and the UEFI loader, whose stages
# its table reports.
# Usage (from BUILD): run_bench.sh RUNNER ISO SYSTEM_ISO SPAWN_ISO QEMU OVMF_CODE OVMF_VARS SHIM
#   SEABIOS [--smoke] [--update-docs]
#   --smoke        (the bazel test) check only that the image ran and printed every row
#   --update-docs  (bazel run) rewrite the generated table in docs/performance.md
set -uo pipefail
runner=$1 iso=$2 system_iso=$3 spawn_iso=$4 qemu=$5 code=$6 vars=$7 shim=$8 seabios=$9
shift 9
source testing/bench/bench_lib.sh
smoke="" update_docs=""
for arg in "$@"; do
  case "$arg" in
    --smoke) smoke=1 ;;
    --update-docs) update_docs=1 ;;
    *) echo "run_bench: unknown argument $arg" >&2; exit 2 ;;
  esac
done

smp=4
ticks_per_instruction=128
out_dir=${TEST_UNDECLARED_OUTPUTS_DIR:-$(mktemp -d)}
log=$out_dir/serial.log

# The command as run, with this run's log file shown as serial.log.
direct=(--direct-boot "$shim" --seabios "$seabios")
boot_measured "$iso" "$log" 900 "${direct[@]}"
qemu_command=$measured_command status=$measured_status

# The spawn image, same flags, until spawn_bench has printed its row (run_qemu.sh then exits 4).
spawn_log=$out_dir/spawn-serial.log
boot_measured "$spawn_iso" "$spawn_log" 900 "${direct[@]}" --until 'spawn_bench: done'
spawn_command=$measured_command spawn_status=$measured_status

# The normal image, same flags, until init's last boot-stage line, "ready" (run_qemu.sh then
# exits 4).
boot_log=$out_dir/boot-serial.log
boot_measured "$system_iso" "$boot_log" 600 --until 'init: boot stage ready .* TSC ticks\)'
boot_command=$measured_command boot_status=$measured_status

commit=$(bench_commit)

# `bench: row NAME | median T | min T | overhead T | n N` -> a Markdown row in instructions.
table=$(cat "$log" "$spawn_log" |
  sed -n 's/^.*bench: row \(.*\) | median \([0-9]*\) | min \([0-9]*\) | overhead \([0-9]*\) | n \([0-9]*\).*$/\1|\2|\3|\4|\5/p' |
  awk -F'|' -v t="$ticks_per_instruction" '
    function insn(x) { return (x % t == 0) ? sprintf("%d", x / t) : sprintf("%.2f", x / t) }
    { printf "| %s | %s | %s | %s | %d |\n", $1, insn($2), insn($3), insn($4), $5 }')
missing=$(cat "$log" "$spawn_log" | sed -n 's/^.*bench: missing \(.*\)$/\1/p')
notes=$(sed -n 's/^.*bench: note \(.*\)$/- \1/p' "$log")
rows=$(printf '%s\n' "$table" | grep -c '^| ' || true)
# `init: boot stage NAME  S.MMM ms (T TSC ticks)` -> a Markdown row in instructions.
stages=$(sed -n 's/^.*init: boot stage \([a-z]*\) *\([0-9.]*\) ms (\([0-9]*\) TSC ticks).*$/\1|\2|\3/p' \
  "$boot_log" | awk -F'|' -v t="$ticks_per_instruction" '
    { printf "| %s | %s | %s |\n", $1, ($3 % t == 0) ? sprintf("%d", $3 / t) : sprintf("%.2f", $3 / t), $2 }')
stage_rows=$(printf '%s\n' "$stages" | grep -c '^| ' || true)

header="| operation | median (instructions) | min (instructions) | overhead subtracted | samples |
| --- | --- | --- | --- | --- |"
stage_header="| boot stage (docs/boot-stages.md) | guest instructions | as init prints it (ms at its measured TSC rate) |
| --- | --- | --- |"
report="Guest benchmark (testing/bench), commit $commit, $smp CPUs
QEMU: $qemu_command

$header
$table

$notes

The row through proc comes from the spawn image (testing/bench/proc_spawn), same flags:
QEMU: $spawn_command

Boot stages of the normal image (//:iso), same flags, until init's summary:
QEMU: $boot_command

$stage_header
$stages"
echo "$report"
[ -n "$missing" ] && printf 'not measured: %s\n' "$missing"

if ! grep -q "bench: end (0 failed)" "$log" || [ "$rows" -eq 0 ] || [ "$status" -ne 0 ]; then
  echo "---- serial log ----"
  cat "$log"
  echo "FAIL: the benchmark did not run to the end (runner exit status $status; 124 = timeout)"
  exit 1
fi
# 4: --until saw "spawn_bench: done"; 0: root (hiillos.test=user) ended the run first, after it.
if { [ "$spawn_status" -ne 4 ] && [ "$spawn_status" -ne 0 ]; } || ! grep -q "bench: row process spawn + exit + wait (through proc" "$spawn_log"; then
  echo "---- serial log of the spawn image ----"
  cat "$spawn_log"
  echo "FAIL: the spawn image printed no row (runner exit status $spawn_status; 4 or 0 = done, 124 = timeout)"
  exit 1
fi
# The stages init reports (docs/boot-stages.md), in order; "ready" (kernel entry to all services
# ready) spans kernel..programs and comes last.
expected_stages="firmware loader kernel root proc init programs ready"
printed_stages=$(printf '%s\n' "$stages" | sed -n 's/^| \([a-z]*\) |.*$/\1/p' | tr '\n' ' ' | sed 's/ $//')
if [ "$boot_status" -ne 4 ] || [ "$printed_stages" != "$expected_stages" ]; then
  echo "---- serial log of the normal image ----"
  cat "$boot_log"
  echo "FAIL: the normal image printed the boot stages '$printed_stages', not '$expected_stages'" \
    "(runner exit status $boot_status; 4 = init's summary seen, 124 = timeout)"
  exit 1
fi
if [ -n "$smoke" ]; then
  echo "PASS: the benchmark image printed $rows rows and the normal image $stage_rows boot stages" \
    "(no thresholds are checked)"
  exit 0
fi

if [ -n "$update_docs" ]; then
  docs="${BUILD_WORKSPACE_DIRECTORY:?--update-docs needs bazel run}/docs/performance.md"
  begin='<!-- BEGIN generated: guest benchmark (bazel run //testing/bench:ipc -- --update-docs) -->'
  end='<!-- END generated: guest benchmark -->'
  block=$(printf '%s\n\nCommit `%s`, %d CPUs, QEMU command:\n\n```\n%s\n```\n\n%s\n%s\n\n%s\n\n%s\n\n```\n%s\n```\n\n%s\n\n```\n%s\n```\n\n%s\n%s\n%s' \
    "$begin" "$commit" "$smp" "$qemu_command" "$header" "$table" "$notes" \
    "The row through proc comes from the spawn image (\`//testing/bench/proc_spawn:spawn_bench_image\`), same flags:" \
    "$spawn_command" \
    "Boot stages of the normal image (\`//:iso\`, \`/sbin/init\`'s summary line, TSC ticks / 128), same flags:" \
    "$boot_command" "$stage_header" "$stages" "$end")
  replace_docs_block run_bench "$docs" "$begin" "$end" "$block"
  echo "updated $docs"
fi
