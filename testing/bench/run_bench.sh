#!/bin/bash
# testing/bench/run_bench.sh — boots the benchmark image under QEMU with
# `-icount shift=7,sleep=off -seed 1` and a fixed -rtc (run_qemu.sh --icount), where the guest TSC
# advances exactly 128 per executed instruction, and prints the table in guest instructions per
# operation (median and minimum over the samples, the NOP-variant overhead subtracted), the exact
# QEMU command and the commit.
# Usage (from BUILD): run_bench.sh RUNNER ISO QEMU OVMF_CODE OVMF_VARS [--smoke] [--update-docs]
#   --smoke        (the bazel test) check only that the image ran and printed every row
#   --update-docs  (bazel run) rewrite the generated table in docs/performance.md
set -uo pipefail
runner=$1 iso=$2 qemu=$3 code=$4 vars=$5
shift 5
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
run_args=(--iso "$iso" --qemu "$qemu" --ovmf-code "$code" --ovmf-vars "$vars" --headless
  --no-framebuffer --icount --smp "$smp" --mem 512M --timeout 900 --serial-log "$log")

# The command as run, with this run's log file shown as serial.log.
qemu_command=$("$runner" "${run_args[@]}" --dry-run 2>/dev/null | tail -1)
qemu_command=${qemu_command//"$log"/serial.log}
"$runner" "${run_args[@]}" >/dev/null 2>&1
status=$?

commit=unknown
if [ -n "${BUILD_WORKSPACE_DIRECTORY:-}" ]; then
  commit=$(git -C "$BUILD_WORKSPACE_DIRECTORY" rev-parse --short=12 HEAD 2>/dev/null || echo unknown)
  if ! git -C "$BUILD_WORKSPACE_DIRECTORY" diff --quiet HEAD 2>/dev/null; then
    commit="$commit (with uncommitted changes)"
  fi
fi

# `bench: row NAME | median T | min T | overhead T | n N` -> a Markdown row in instructions.
table=$(sed -n 's/^.*bench: row \(.*\) | median \([0-9]*\) | min \([0-9]*\) | overhead \([0-9]*\) | n \([0-9]*\).*$/\1|\2|\3|\4|\5/p' "$log" |
  awk -F'|' -v t="$ticks_per_instruction" '
    function insn(x) { return (x % t == 0) ? sprintf("%d", x / t) : sprintf("%.2f", x / t) }
    { printf "| %s | %s | %s | %s | %d |\n", $1, insn($2), insn($3), insn($4), $5 }')
missing=$(sed -n 's/^.*bench: missing \(.*\)$/\1/p' "$log")
rows=$(printf '%s\n' "$table" | grep -c '^| ' || true)

header="| operation | median (instructions) | min (instructions) | overhead subtracted | samples |
| --- | --- | --- | --- | --- |"
report="Guest benchmark (testing/bench), commit $commit, $smp CPUs
QEMU: $qemu_command

$header
$table"
echo "$report"
[ -n "$missing" ] && printf 'not measured: %s\n' "$missing"

if ! grep -q "bench: end (0 failed)" "$log" || [ "$rows" -eq 0 ] || [ "$status" -ne 0 ]; then
  echo "---- serial log ----"
  cat "$log"
  echo "FAIL: the benchmark did not run to the end (runner exit status $status; 124 = timeout)"
  exit 1
fi
if [ -n "$smoke" ]; then
  echo "PASS: the benchmark image ran and printed $rows rows (no thresholds are checked)"
  exit 0
fi

if [ -n "$update_docs" ]; then
  docs="${BUILD_WORKSPACE_DIRECTORY:?--update-docs needs bazel run}/docs/performance.md"
  begin='<!-- BEGIN generated: guest benchmark (bazel run //testing/bench:ipc -- --update-docs) -->'
  end='<!-- END generated: guest benchmark -->'
  if ! grep -qF "$begin" "$docs"; then
    echo "run_bench: $docs has no '$begin' marker" >&2
    exit 1
  fi
  block=$(printf '%s\n\nCommit `%s`, %d CPUs, QEMU command:\n\n```\n%s\n```\n\n%s\n%s\n%s' \
    "$begin" "$commit" "$smp" "$qemu_command" "$header" "$table" "$end")
  BLOCK="$block" BEGIN="$begin" END="$end" python3 - "$docs" <<'PY'
import os, sys
path = sys.argv[1]
text = open(path).read()
begin, end, block = os.environ["BEGIN"], os.environ["END"], os.environ["BLOCK"]
start = text.index(begin)
stop = text.index(end, start) + len(end)
open(path, "w").write(text[:start] + block + text[stop:])
PY
  echo "updated $docs"
fi
