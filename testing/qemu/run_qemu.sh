#!/bin/bash
# testing/qemu/run_qemu.sh — boots a hiillos ISO on QEMU q35 + OVMF (`bazel run //:qemu -- ...`).
# Also the engine of the QEMU-based tests: with --timeout it exits 124 on a hang, with --until it
# ends the run on a serial-console verdict, and it maps the kernel's isa-debug-exit verdict to
# 0 (pass) / 1 (fail). QEMU starts with -nodefaults: only the devices listed below exist.
set -euo pipefail

usage() {
  cat <<'USAGE'
usage: bazel run //:qemu -- [options] [-- extra QEMU arguments]
  --smp N             number of CPUs (default 1)
  --mem SIZE          guest memory, QEMU syntax (default 512M)
  --headless          no display window (default when $DISPLAY is unset)
  --display           show the framebuffer in a window
  --gdb               QEMU gdb server on tcp::1234
  --gdb-wait          like --gdb, and wait for the debugger before the first instruction
  --append "ARGS"     kernel command line (passed through QEMU fw_cfg opt/hiillos/cmdline;
                      replaces the ISO's hiillos/cmdline.txt)
  --serial-log FILE   also write the serial console to FILE
  --timeout S         kill QEMU after S seconds and exit 124 (under `bazel test` at most
                      $TEST_TIMEOUT - 30, so Bazel never kills the test before the runner)
  --until REGEX       end QEMU as soon as the serial console prints a line matching REGEX (an
                      extended regex) and exit 4 (for verdicts the firmware prints, e.g. a
                      loader that returned an error)
  --no-framebuffer    no display adapter (tests that never look at the screen)
  --disk IMAGE        attach IMAGE (raw) as a modern-only virtio-blk-pci disk; guest writes go
                      to a temporary overlay and are dropped (//:qemu attaches //:disk)
  --disk-writable IMAGE  the same, writing to IMAGE itself (tests that check what was written)
  --tcg-thread MODE   multi (QEMU's default: one host thread per vCPU) or single (one host
                      thread runs the vCPUs in turn); default $HIILLOS_TCG_THREAD, else QEMU's.
                      Guests that reconfigure PCI devices at run time use single: QEMU 7.2's
                      multi-threaded TCG can crash (SIGSEGV in memory_region_dispatch_write)
                      when a memory-map change races another vCPU's MMIO access (docs/build.md)
  --direct-boot SHIM  boot without UEFI firmware: QEMU's -kernel loads SHIM (the Multiboot shim,
                      //bootloader/multiboot) with the image's parts as modules, listed in the
                      ISO's manifest (NAME.boot_files next to NAME.iso, from iso_image); default
                      $HIILLOS_DIRECT_BOOT. SeaBIOS starts in ~0.1 s of CPU where OVMF takes ~3 s;
                      the kernel gets the same hand-off (docs/boot-protocol.md)
  --seabios FILE      the BIOS image for --direct-boot (default $HIILLOS_SEABIOS, else QEMU's)
  --icount            deterministic instruction counting (-icount shift=7,sleep=off): guest TSC
                      advances 128 per instruction (benchmarks)
  --dry-run           print the QEMU command instead of running it
  --help              this text
  Image selection (set by the Bazel targets): --iso PATH --qemu PATH --ovmf-code PATH
  --ovmf-vars PATH
Devices: q35's built-in chipset, OVMF flash and the ISO on an IDE CD drive (or, with
--direct-boot, SeaBIOS and QEMU's Multiboot loader), COM1, isa-debug-exit,
(unless --no-framebuffer) a standard VGA adapter and (with --disk) one virtio-blk-pci disk; no
NIC, no option ROMs, no default drives.
Exit status: the kernel's verdict in test builds (0 pass, 1 fail), 4 when --until matched, 124
on timeout, otherwise QEMU's own status.
USAGE
}

smp=1 mem=512M headless="" gdb="" append="" append_set="" serial_log="" timeout_s="" dry_run=""
tcg_thread=${HIILLOS_TCG_THREAD:-} direct_boot=${HIILLOS_DIRECT_BOOT:-}
seabios=${HIILLOS_SEABIOS:-}
icount="" iso="" qemu="" ovmf_code="" ovmf_vars="" until="" framebuffer=1 disk="" disk_snapshot=""
extra=()
# Paths given by a user of `bazel run` are relative to where they ran it.
user_path() {
  case "$1" in
    /*) echo "$1" ;;
    *) echo "${BUILD_WORKING_DIRECTORY:-$PWD}/$1" ;;
  esac
}
# A disk named by the Bazel target is relative to the runfiles (here); one a user names, to
# where they ran `bazel run`.
disk_path() {
  if [ -e "$1" ]; then realpath "$1"; else user_path "$1"; fi
}
while [ $# -gt 0 ]; do
  case "$1" in
    --smp) smp=$2; shift 2 ;;
    --tcg-thread) tcg_thread=$2; shift 2 ;;
    --mem) mem=$2; shift 2 ;;
    --headless) headless=1; shift ;;
    --display) headless=0; shift ;;
    --gdb) gdb=${gdb:-1}; shift ;;
    --gdb-wait) gdb=wait; shift ;;
    --append) append=$2; append_set=1; shift 2 ;;
    --serial-log) serial_log=$(user_path "$2"); shift 2 ;;
    --timeout) timeout_s=$2; shift 2 ;;
    --until) until=$2; shift 2 ;;
    --no-framebuffer) framebuffer=""; shift ;;
    --disk) disk=$(disk_path "$2"); disk_snapshot=",snapshot=on"; shift 2 ;;
    --disk-writable) disk=$(disk_path "$2"); disk_snapshot=""; shift 2 ;;
    --icount) icount=1; shift ;;
    --direct-boot) direct_boot=$2; shift 2 ;;
    --seabios) seabios=$2; shift 2 ;;
    --dry-run) dry_run=1; shift ;;
    --iso) iso=$2; shift 2 ;;
    --qemu) qemu=$2; shift 2 ;;
    --ovmf-code) ovmf_code=$2; shift 2 ;;
    --ovmf-vars) ovmf_vars=$2; shift 2 ;;
    --help|-h) usage; exit 0 ;;
    --) shift; extra=("$@"); break ;;
    *) echo "run_qemu: unknown option '$1' (see --help)" >&2; exit 2 ;;
  esac
done
for required in iso qemu ovmf_code ovmf_vars; do
  if [ -z "${!required}" ]; then
    echo "run_qemu: --${required//_/-} is required (use the //:qemu target)" >&2
    exit 2
  fi
done
case "$smp" in ''|*[!0-9]*) echo "run_qemu: --smp needs a number" >&2; exit 2 ;; esac
case "$tcg_thread" in '' | single | multi) ;; *) echo "run_qemu: --tcg-thread is single or multi" >&2; exit 2 ;; esac
# Under `bazel test`, the runner's own timeout ends a hung guest before Bazel's test timeout
# (TEST_TIMEOUT: 300 s for size medium, 900 s for large) would kill the whole test: so a hang
# always ends in the runner's verdict (exit 124, "timed out") and the test script still writes
# its serial log and says what it saw. The last 30 s are left for that (half of a timeout
# shorter than a minute, e.g. from --test_timeout).
if [ -n "${TEST_TIMEOUT:-}" ] && [ -z "$dry_run" ]; then
  limit=$((TEST_TIMEOUT - 30))
  [ "$TEST_TIMEOUT" -lt 60 ] && limit=$((TEST_TIMEOUT / 2))
  if [ -z "$timeout_s" ] || [ "$timeout_s" -gt "$limit" ]; then
    [ -n "$timeout_s" ] &&
      echo "run_qemu: --timeout $timeout_s cut to ${limit}s (Bazel's test timeout is ${TEST_TIMEOUT}s)" >&2
    timeout_s=$limit
  fi
fi
if [ -z "$headless" ]; then
  if [ -n "${DISPLAY:-}" ]; then headless=0; else headless=1; fi
fi

# Runfiles are read-only: each run gets its own copy of the OVMF variable store.
vars_copy=$ovmf_vars
if [ -z "$dry_run" ]; then
  scratch=$(mktemp -d "${TEST_TMPDIR:-${TMPDIR:-/tmp}}/hiillos-qemu.XXXXXX")
  trap 'rm -rf "$scratch"' EXIT
  vars_copy=$scratch/OVMF_VARS.fd
  cp "$ovmf_vars" "$vars_copy"
  chmod u+w "$vars_copy"
  # --until reads the serial console from a log file.
  [ -n "$until" ] && [ -z "$serial_log" ] && serial_log=$scratch/serial.log
fi

serial_chardev="stdio,id=serial0,signal=on"
[ -n "$serial_log" ] && serial_chardev+=",logfile=$serial_log"
cmd=("$qemu" -nodefaults -machine q35 -cpu max -smp "$smp" -m "$mem" -no-reboot)
if [ -n "$direct_boot" ]; then
  # The manifest lists "NAME PATH" per part (kernel.elf, root.elf, initfs.tar.zst, cmdline.txt);
  # QEMU hands each -initrd entry's text to the shim, which takes NAME from it.
  manifest=${iso%.iso}.boot_files
  if [ ! -r "$manifest" ]; then
    echo "run_qemu: --direct-boot needs $manifest (written by iso_image next to the ISO)" >&2
    exit 2
  fi
  modules=""
  while read -r name path; do
    case "$path" in *,* | *' '*) echo "run_qemu: $path: a comma or space in a path" >&2; exit 2 ;; esac
    modules+="${modules:+,}$path $name"
  done <"$manifest"
  [ -n "$seabios" ] && cmd+=(-bios "$seabios")
  cmd+=(-kernel "$direct_boot" -initrd "$modules")
else
  cmd+=(-drive "if=pflash,format=raw,readonly=on,file=$ovmf_code"
    -drive "if=pflash,format=raw,file=$vars_copy"
    -drive "file=$iso,media=cdrom,readonly=on,if=none,id=cd0" -device ide-cd,drive=cd0,bootindex=0)
fi
cmd+=(-chardev "$serial_chardev" -serial chardev:serial0
  -device isa-debug-exit,iobase=0xf4,iosize=0x04
  -action panic=exit-failure)
# The adapter's option ROM is not needed: OVMF drives standard VGA with its own QemuVideoDxe.
[ -n "$framebuffer" ] && cmd+=(-device VGA,romfile=)
if [ "$headless" = 1 ]; then cmd+=(-display none); fi
if [ -n "$disk" ]; then
  cmd+=(-drive "file=$disk,format=raw,if=none,id=disk0$disk_snapshot"
    -device virtio-blk-pci,drive=disk0,disable-legacy=on)
fi
if [ -n "$append_set" ]; then cmd+=(-fw_cfg "name=opt/hiillos/cmdline,string=$append"); fi
# -icount implies one TCG thread (QEMU refuses multi with it).
if [ -n "$tcg_thread" ] && [ -z "$icount" ]; then cmd+=(-accel "tcg,thread=$tcg_thread"); fi
if [ -n "$icount" ]; then
  cmd+=(-icount shift=7,sleep=off -seed 1 -rtc base=2024-01-01T00:00:00,clock=vm)
fi
case "$gdb" in
  1) cmd+=(-gdb tcp::1234) ;;
  wait) cmd+=(-gdb tcp::1234 -S) ;;
esac
cmd+=("${extra[@]}")

if [ -n "$dry_run" ]; then
  line=""
  for arg in "${cmd[@]}"; do
    case "$arg" in
      *[!A-Za-z0-9_,.=/:+@-]*) line+="'${arg//\'/\'\\\'\'}' " ;;  # shell-quote when needed
      *) line+="$arg " ;;
    esac
  done
  echo "${line% }"
  exit 0
fi

# Runs QEMU in the background, polling the serial log for --until's pattern and the timeout
# (in seconds of wall time, not poll rounds: on a loaded host each round takes longer than its
# 0.2 s sleep, and counting rounds stretched a 120 s timeout past half an hour).
# Ends QEMU: SIGTERM, and SIGKILL if it has not exited 5 s later (seen here: QEMU 7.2 printed
# "terminating on signal 15" while the guest was reading the CD and never exited).
stop_qemu() {
  local pid=$1 tries=0
  kill "$pid" 2>/dev/null
  while kill -0 "$pid" 2>/dev/null && [ "$tries" -lt 50 ]; do
    sleep 0.1
    tries=$((tries + 1))
  done
  kill -9 "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
}

run_until() {
  : >"$serial_log" # a log left by an earlier run must not match before QEMU truncates it
  "${cmd[@]}" </dev/null &
  local qemu_pid=$! started=$SECONDS
  while kill -0 "$qemu_pid" 2>/dev/null; do
    if grep -aEq -- "$until" "$serial_log" 2>/dev/null; then
      stop_qemu "$qemu_pid"
      return 4
    fi
    if [ -n "$timeout_s" ] && [ $((SECONDS - started)) -ge "$timeout_s" ]; then
      stop_qemu "$qemu_pid"
      return 124
    fi
    sleep 0.2
  done
  wait "$qemu_pid"
}

status=0
if [ -n "$until" ]; then
  run_until || status=$?
elif [ -n "$timeout_s" ]; then
  timeout --foreground -k 5 "$timeout_s" "${cmd[@]}" </dev/null || status=$?
else
  "${cmd[@]}" || status=$?
fi
case "$status" in
  99) exit 0 ;;   # kernel wrote QemuExitCode::kPass to isa-debug-exit
  97) exit 1 ;;   # kernel wrote QemuExitCode::kFail
  4) [ -n "$until" ] && echo "run_qemu: serial console matched /$until/" >&2; exit 4 ;;
  124) echo "run_qemu: timed out after ${timeout_s}s" >&2; exit 124 ;;
  *) exit "$status" ;;
esac
