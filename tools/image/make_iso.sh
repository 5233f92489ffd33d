#!/bin/bash
# tools/image/make_iso.sh — builds the UEFI boot image (FAT, mtools) and the El Torito ISO
# (xorriso) reproducibly: fixed FAT serial, fixed file times (SOURCE_DATE_EPOCH), sorted input.
# Usage: make_iso.sh TOOLS_DIR OUT_ESP OUT_ISO BOOTX64.EFI KERNEL ROOT INITFS CMDLINE_FILE
set -euo pipefail
tools=$1 esp=$2 iso=$3 loader=$4 kernel=$5 root=$6 initfs=$7 cmdline=$8
: "${SOURCE_DATE_EPOCH:=1700000000}"
export SOURCE_DATE_EPOCH MTOOLS_SKIP_CHECK=1 MTOOLS_NO_VFAT=1 TZ=UTC

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage/EFI/BOOT" "$stage/hiillos"
cp "$loader" "$stage/EFI/BOOT/BOOTX64.EFI"
cp "$kernel" "$stage/hiillos/kernel.elf"
cp "$root" "$stage/hiillos/root.elf"
cp "$initfs" "$stage/hiillos/initfs.tar.zst"
cp "$cmdline" "$stage/hiillos/cmdline.txt"
find "$stage" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +

# FAT image: content size x2 + 1 MiB slack, at least 8 MiB, in whole MiB.
content_kib=$(du -sk --apparent-size "$stage" | cut -f1)
size_mib=$(( (content_kib * 2 / 1024) + 2 ))
[ "$size_mib" -lt 8 ] && size_mib=8
rm -f "$esp"
dd if=/dev/zero of="$esp" bs=1M count="$size_mib" status=none
"$tools/mformat" -i "$esp" -N 48494c4c -v HIILLOS ::
"$tools/mmd" -i "$esp" ::/EFI ::/EFI/BOOT ::/hiillos
for f in EFI/BOOT/BOOTX64.EFI hiillos/cmdline.txt hiillos/initfs.tar.zst hiillos/kernel.elf \
         hiillos/root.elf; do
  "$tools/mcopy" -m -i "$esp" "$stage/$f" "::/$f"
done

# ISO 9660 with the FAT image as the EFI El Torito boot image.
mkdir "$stage/iso"
cp "$esp" "$stage/iso/efiboot.img"
touch -h -d "@$SOURCE_DATE_EPOCH" "$stage/iso" "$stage/iso/efiboot.img"
rm -f "$iso"
# xorriso prints its banner on stderr even when quiet: show its output only when it fails.
if ! "$tools/xorriso" -report_about SORRY -as mkisofs -quiet -o "$iso" -V HIILLOS -R \
  -e efiboot.img -no-emul-boot -isohybrid-gpt-basdat "$stage/iso" 2>"$stage/xorriso.log"; then
  cat "$stage/xorriso.log" >&2
  exit 1
fi
