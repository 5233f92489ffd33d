# testing/qemu/guest_log.sh — what the QEMU test scripts share, sourced (qemu_test puts it next to
# run_qemu.sh) once the script has set runner iso qemu code vars smp (its first arguments) and
# log (the serial log's path):
#   boot_guest TIMEOUT [RUNNER OPTION...]  boots the image headless, no framebuffer, 512M, on $smp
#                                          CPUs, killed after TIMEOUT s; the runner's status in
#                                          $status (0 pass, 1 fail, 124 timeout)
#   boot_guest_disk TIMEOUT DISK [RUNNER OPTION...]
#                                          boot_guest with a writable copy of DISK attached: the
#                                          copy is $disk, in $tmp ($TEST_TMPDIR or a fresh one)
#   expect_lines REGEX...                  every REGEX matches a line of the log (one written
#                                          !REGEX matches none; 'A ==> B': the first line
#                                          matching B comes after the first matching A; 'A ~~> B':
#                                          some line matching B comes after the first matching
#                                          A), and no line shows a fault, a panic or a failed
#                                          check
#   expect_one REGEX                       one item of expect_lines, without the fault check
#   expect_each REGEX...                   expect_one for each REGEX
#   expect_no_panic                        no line shows a fault or a panic (failed checks
#                                          allowed: for runs whose status counts them)
#   expect_status N [MEANING]              the runner's status is N (MEANING, in the failure
#                                          message: what the statuses mean; default 0 pass,
#                                          1 fail, 124 timeout)
#   fail MESSAGE                           one more failure (for the script's own checks)
#   finish FILTER                          on any failure prints the log and exits 1; otherwise
#                                          prints the log's lines matching FILTER, no timestamps
failures=0
fail() {
  echo "FAIL: $*"
  failures=$((failures + 1))
}

boot_guest() {
  local timeout=$1
  shift
  "$runner" --iso "$iso" --qemu "$qemu" --ovmf-code "$code" --ovmf-vars "$vars" --headless \
    --no-framebuffer --smp "$smp" --mem 512M --timeout "$timeout" --serial-log "$log" "$@" \
    >/dev/null 2>&1
  status=$?
}

boot_guest_disk() {
  local timeout=$1 source_disk=$2
  shift 2
  tmp=${TEST_TMPDIR:-$(mktemp -d)}
  disk=$tmp/disk.img
  cp "$source_disk" "$disk" && chmod u+w "$disk"
  boot_guest "$timeout" --disk-writable "$disk" "$@"
}

# The line number of the first (or, with -l, the last) line matching $1; empty when none.
line_of() {
  if [ "$1" = -l ]; then
    grep -anE "$2" "$log" | tail -n 1 | cut -d: -f1
  else
    grep -anE -m 1 "$1" "$log" | cut -d: -f1
  fi
}

expect_one() {
  local expected=$1 first second
  if [[ "$expected" == *" ==> "* || "$expected" == *" ~~> "* ]]; then
    local arrow="==>"
    [[ "$expected" == *" ~~> "* ]] && arrow="~~>"
    first=$(line_of "${expected%% $arrow *}")
    if [ "$arrow" = "==>" ]; then
      second=$(line_of "${expected#* $arrow }")
    else
      second=$(line_of -l "${expected#* $arrow }")
    fi
    if [ -z "$first" ] || [ -z "$second" ] || [ "$second" -le "$first" ]; then
      fail "lines out of order or missing: /$expected/ (lines ${first:-none}, ${second:-none})"
    fi
  elif [ "${expected:0:1}" = "!" ]; then
    grep -aEq "${expected:1}" "$log" && fail "a line matches /${expected:1}/"
  else
    grep -aEq "$expected" "$log" || fail "no line matching /$expected/"
  fi
}

expect_each() {
  local expected
  for expected in "$@"; do
    expect_one "$expected"
  done
}

expect_lines() {
  expect_each "$@"
  grep -aE "fault: process|PANIC|panic|FAILED" "$log" && fail "a fault, panic or failed check"
}

expect_no_panic() {
  grep -aE "fault: process|PANIC|panic" "$log" && fail "a fault or panic"
}

expect_status() {
  [ "$status" -eq "$1" ] ||
    fail "runner exit status $status, expected $1 (${2:-0 pass, 1 fail, 124 timeout})"
}

finish() {
  if [ "$failures" -ne 0 ]; then
    echo "---- serial log ($log) ----"
    cat "$log"
    exit 1
  fi
  grep -aE "$1" "$log" | sed 's/^\[[ 0-9.]*\] //'
}
