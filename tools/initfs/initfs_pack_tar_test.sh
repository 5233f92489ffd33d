#!/bin/bash
# tools/initfs/initfs_pack_tar_test.sh — checks initfs_pack's output with the real tools:
# zstd verifies the frame (checksum, recorded size), GNU tar lists and extracts the archive.
# Usage: initfs_pack_tar_test.sh PACKER [ZSTD] [TAR]   (ZSTD and TAR default to those on PATH)
set -euo pipefail

packer="$1"
zstd="${2:-zstd}"
tar="${3:-tar}"
work="$(mktemp -d "${TEST_TMPDIR:-/tmp}/initfs_pack_tar_test.XXXXXX")"
failures=0

fail() {
  echo "FAIL: $*" >&2
  failures=$((failures + 1))
}

# --- inputs ---------------------------------------------------------------------------------
mkdir -p "$work/src"
printf '\177ELF' >"$work/src/init"
seq 1 3000 >>"$work/src/init"  # 13893 bytes with the ELF magic
chmod 0755 "$work/src/init"
printf '# services\nrngd\nvfsd\n' >"$work/src/init.conf"
chmod 0640 "$work/src/init.conf"  # not executable: stored as 0644
: >"$work/src/empty"
head -c 512 /dev/zero | tr '\0' 'b' >"$work/src/block"  # exactly one block
# lib/ddd.../name.txt is 104 bytes: stored split across the prefix and name fields.
long_dir="lib/$(printf 'd%.0s' $(seq 1 90))"
echo long >"$work/src/long"

pack() {
  "$packer" "$@"
}

pack --output "$work/out.tar.zst" --uncompressed "$work/out.tar" \
  sbin/init="$work/src/init" etc/init.conf="$work/src/init.conf" etc/empty="$work/src/empty" \
  data/block="$work/src/block" "$long_dir/name.txt=$work/src/long"

# --- zstd: frame integrity, recorded size, checksum -----------------------------------------
"$zstd" -q -t "$work/out.tar.zst" || fail "zstd -t rejects the archive"
"$zstd" -q -d -c "$work/out.tar.zst" >"$work/decompressed.tar"
cmp -s "$work/decompressed.tar" "$work/out.tar" || fail "--uncompressed differs from zstd -d"
info="$("$zstd" -lv "$work/out.tar.zst" 2>&1)"
grep -q 'Check: XXH64' <<<"$info" || fail "no XXH64 checksum in the frame: $info"
size="$(stat -c %s "$work/out.tar")"
grep -Eq "Decompressed Size:.*\($size B\)" <<<"$info" || fail "content size $size not recorded: $info"

# --- GNU tar: listing --------------------------------------------------------------------------
expected_listing="$work/expected.txt"
cat >"$expected_listing" <<LISTING
drwxr-xr-x 0/0 0 1970-01-01 00:00 data/
-rw-r--r-- 0/0 512 1970-01-01 00:00 data/block
drwxr-xr-x 0/0 0 1970-01-01 00:00 etc/
-rw-r--r-- 0/0 0 1970-01-01 00:00 etc/empty
-rw-r--r-- 0/0 21 1970-01-01 00:00 etc/init.conf
drwxr-xr-x 0/0 0 1970-01-01 00:00 lib/
drwxr-xr-x 0/0 0 1970-01-01 00:00 $long_dir/
-rw-r--r-- 0/0 5 1970-01-01 00:00 $long_dir/name.txt
drwxr-xr-x 0/0 0 1970-01-01 00:00 sbin/
-rwxr-xr-x 0/0 $(stat -c %s "$work/src/init") 1970-01-01 00:00 sbin/init
LISTING
TZ=UTC "$tar" --numeric-owner -tvf "$work/decompressed.tar" | tr -s ' ' >"$work/listing.txt"
diff -u "$expected_listing" "$work/listing.txt" || fail "tar -tvf listing differs"

# --- GNU tar: contents -------------------------------------------------------------------------
mkdir "$work/extracted"
"$tar" -xf "$work/decompressed.tar" -C "$work/extracted"
for pair in sbin/init:init etc/init.conf:init.conf etc/empty:empty data/block:block \
  "$long_dir/name.txt:long"; do
  cmp -s "$work/extracted/${pair%%:*}" "$work/src/${pair##*:}" ||
    fail "extracted ${pair%%:*} differs from its source"
done
[[ -x "$work/extracted/sbin/init" ]] || fail "sbin/init lost its execute bit"
[[ ! -x "$work/extracted/etc/init.conf" ]] || fail "etc/init.conf became executable"

# --- determinism: same inputs in another order, byte-identical output --------------------------
pack "$long_dir/name.txt=$work/src/long" data/block="$work/src/block" \
  etc/empty="$work/src/empty" --output "$work/again.tar.zst" \
  etc/init.conf="$work/src/init.conf" sbin/init="$work/src/init"
cmp -s "$work/out.tar.zst" "$work/again.tar.zst" || fail "packing twice gave different bytes"

# --- rejected inputs: nonzero exit, a message, no output ---------------------------------------
expect_rejected() {
  local message="$1"
  shift
  local status=0
  pack --output "$work/rejected.tar.zst" "$@" 2>"$work/stderr.txt" || status=$?
  if [[ $status -eq 0 ]]; then
    fail "accepted: $*"
  elif ! grep -qF -- "$message" "$work/stderr.txt"; then
    fail "for $*: expected '$message', got: $(cat "$work/stderr.txt")"
  fi
  [[ ! -e "$work/rejected.tar.zst" ]] || fail "output written for rejected input: $*"
}
expect_rejected "duplicate destination 'etc/x'" \
  etc/x="$work/src/empty" etc/x="$work/src/long"
expect_rejected "is absolute" /sbin/init="$work/src/init"
expect_rejected "contains a '..' component" ../init="$work/src/init"
expect_rejected "does not fit a ustar header" "$(printf 'n%.0s' $(seq 1 100))=$work/src/long"
expect_rejected "cannot read source file" x="$work/src/missing"
expect_rejected "expected DEST=SRC" just-a-path

if [[ $failures -ne 0 ]]; then
  echo "$failures check(s) failed" >&2
  exit 1
fi
echo "initfs_pack_tar_test: all checks passed"
