#!/bin/bash
# tools/image/make_fat_image.sh — a FAT32 data disk from staged files, reproducibly: fixed
# volume serial (mformat -N), fixed times (SOURCE_DATE_EPOCH, every staged file touched to it,
# mcopy -m), sorted input.
# Usage: make_fat_image.sh TOOLS_DIR OUT SIZE_MIB SERIAL LABEL [SOURCE DEST]...
set -euo pipefail
tools=$1 out=$2 size_mib=$3 serial=$4 label=$5
shift 5
: "${SOURCE_DATE_EPOCH:=1700000000}"
export SOURCE_DATE_EPOCH MTOOLS_SKIP_CHECK=1 TZ=UTC LC_ALL=C.UTF-8

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
while [ $# -gt 0 ]; do
  source=$1 dest=${2#/}
  shift 2
  mkdir -p "$stage/$(dirname "$dest")"
  cp "$source" "$stage/$dest"
done
find "$stage" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +

rm -f "$out"
dd if=/dev/zero of="$out" bs=1M count="$size_mib" status=none
"$tools/mformat" -i "$out" -F -N "$serial" -v "$label" ::
(cd "$stage" && find . -mindepth 1 -type d | LC_ALL=C sort) | while read -r dir; do
  "$tools/mmd" -i "$out" "::/${dir#./}"
done
(cd "$stage" && find . -type f | LC_ALL=C sort) | while read -r file; do
  "$tools/mcopy" -m -i "$out" "$stage/${file#./}" "::/${file#./}"
done
