# testing/bench/bench_lib.sh — what the benchmark scripts (run_bench.sh, run_fs_bench.sh) share,
# sourced from the runfiles root (their working directory under bazel run and bazel test), once
# `runner` is set (and, for boot_measured, qemu code vars smp):
#   boot_measured ISO LOG TIMEOUT [RUNNER OPTION...]
#                                      boots ISO headless under the benchmark flags (--icount,
#                                      $smp CPUs, 512M), serial log LOG, killed after TIMEOUT s;
#                                      sets measured_command (qemu_command_of) and
#                                      measured_status (the runner's exit status)
#   qemu_command_of LOG RUNNER_ARG...  prints the QEMU command the runner would run for these
#                                      arguments (--dry-run), LOG shown as serial.log
#   bench_commit                       prints the workspace's commit under bazel run (12 digits,
#                                      "(with uncommitted changes)" when it has some), else
#                                      "unknown"
#   replace_docs_block NAME DOCS BEGIN END BLOCK
#                                      replaces BEGIN..END (markers included) in DOCS with BLOCK;
#                                      without the BEGIN marker it says so as NAME and exits 1
qemu_command_of() {
  local log=$1 command
  shift
  command=$("$runner" "$@" --dry-run 2>/dev/null | tail -1)
  printf '%s\n' "${command//"$log"/serial.log}"
}

boot_measured() {
  local image=$1 serial_log=$2 timeout=$3
  shift 3
  local args=(--iso "$image" --qemu "$qemu" --ovmf-code "$code" --ovmf-vars "$vars" --headless
    --no-framebuffer --icount --smp "$smp" --mem 512M --timeout "$timeout"
    --serial-log "$serial_log" "$@")
  measured_command=$(qemu_command_of "$serial_log" "${args[@]}")
  "$runner" "${args[@]}" >/dev/null 2>&1
  measured_status=$?
}

bench_commit() {
  local commit=unknown
  if [ -n "${BUILD_WORKSPACE_DIRECTORY:-}" ]; then
    commit=$(git -C "$BUILD_WORKSPACE_DIRECTORY" rev-parse --short=12 HEAD 2>/dev/null || echo unknown)
    if ! git -C "$BUILD_WORKSPACE_DIRECTORY" diff --quiet HEAD 2>/dev/null; then
      commit="$commit (with uncommitted changes)"
    fi
  fi
  printf '%s\n' "$commit"
}

replace_docs_block() {
  local name=$1 docs=$2 begin=$3 end=$4 block=$5
  if ! grep -qF "$begin" "$docs"; then
    echo "$name: $docs has no '$begin' marker" >&2
    exit 1
  fi
  BLOCK="$block" BEGIN="$begin" END="$end" python3 - "$docs" <<'PY'
import os, sys
path = sys.argv[1]
text = open(path).read()
begin, end, block = os.environ["BEGIN"], os.environ["END"], os.environ["BLOCK"]
start = text.index(begin)
stop = text.index(end, start) + len(end)
open(path, "w").write(text[:start] + block + text[stop:])
PY
}
