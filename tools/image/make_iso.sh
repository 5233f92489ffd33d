#!/bin/bash
# tools/image/make_iso.sh — builds the UEFI boot image (FAT, mtools) and the El Torito ISO
# (xorriso) reproducibly: fixed FAT serial, fixed file times (SOURCE_DATE_EPOCH), sorted input,
# and nothing of the builder's: no owner, no umask-dependent modes (xorriso -r), no local time.
# Usage: SOURCE_DATE_EPOCH=N make_iso.sh TOOLS_DIR OUT_ESP OUT_ISO BOOTX64.EFI KERNEL ROOT INITFS
#        CMDLINE_FILE
set -euo pipefail
tools=$1 esp=$2 iso=$3 loader=$4 kernel=$5 root=$6 initfs=$7 cmdline=$8
# The epoch has one source, //toolchains/rules:source_date_epoch, passed by the iso_image rule.
: "${SOURCE_DATE_EPOCH:?set by the iso_image rule from //toolchains/rules:source_date_epoch}"
export SOURCE_DATE_EPOCH MTOOLS_SKIP_CHECK=1 MTOOLS_NO_VFAT=1 TZ=UTC
umask 022

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage/EFI/BOOT" "$stage/hiillos"
cp "$loader" "$stage/EFI/BOOT/BOOTX64.EFI"
cp "$kernel" "$stage/hiillos/kernel.elf"
cp "$root" "$stage/hiillos/root.elf"
cp "$initfs" "$stage/hiillos/initfs.tar.zst"
cp "$cmdline" "$stage/hiillos/cmdline.txt"
find "$stage" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +

# FAT image sized to its contents: every file rounded up to 4 KiB clusters, 4 KiB per directory,
# 64 KiB for boot sector, FATs and root directory, in whole 32 KiB cylinders (2 heads x 32
# sectors: a geometry mformat accepts at every size). mcopy fails if it ever does not fit.
content_kib=64
while IFS= read -r bytes; do
  content_kib=$((content_kib + (bytes + 4095) / 4096 * 4))
done < <(find "$stage" -type f -printf '%s\n')
content_kib=$((content_kib + 4 * $(find "$stage" -mindepth 1 -type d | wc -l)))
cylinders=$(((content_kib + 31) / 32))
rm -f "$esp"
dd if=/dev/zero of="$esp" bs=32K count="$cylinders" status=none
"$tools/mformat" -i "$esp" -t "$cylinders" -h 2 -s 32 -N 48494c4c -v HIILLOS ::
"$tools/mmd" -i "$esp" ::/EFI ::/EFI/BOOT ::/hiillos
for f in EFI/BOOT/BOOTX64.EFI hiillos/cmdline.txt hiillos/initfs.tar.zst hiillos/kernel.elf \
         hiillos/root.elf; do
  "$tools/mcopy" -m -i "$esp" "$stage/$f" "::/$f"
done

# ISO 9660 with the FAT image as the EFI El Torito boot image. Rock Ridge with -r, not -R: owner
# and group 0, modes normalised (readable by all, executable where any x bit is set), so neither
# the builder's user nor its umask reaches the ISO.
mkdir "$stage/iso"
cp "$esp" "$stage/iso/efiboot.img"
touch -h -d "@$SOURCE_DATE_EPOCH" "$stage/iso" "$stage/iso/efiboot.img"
rm -f "$iso"
# xorriso prints its banner on stderr even when quiet: show its output only when it fails.
if ! "$tools/xorriso" -report_about SORRY -as mkisofs -quiet -o "$iso" -V HIILLOS -r \
  -e efiboot.img -no-emul-boot -isohybrid-gpt-basdat "$stage/iso" 2>"$stage/xorriso.log"; then
  cat "$stage/xorriso.log" >&2
  exit 1
fi
