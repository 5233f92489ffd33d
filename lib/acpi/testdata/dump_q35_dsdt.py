#!/usr/bin/env python3
# lib/acpi/testdata/dump_q35_dsdt.py — extracts QEMU q35's DSDT from QEMU itself, no guest needed.
#
# Starts qemu-system-x86_64 with the machine options of testing/qemu/run_qemu.sh (q35, a
# virtio-blk-pci disk, isa-debug-exit) under the qtest protocol, reads the fw_cfg file
# "etc/acpi/tables" (the blob OVMF's ACPI loader copies into guest memory) through the fw_cfg I/O
# ports 0x510/0x511, finds the "DSDT" table in it and writes it to the file given as argument 1.
# The vCPUs stay stopped (-S) so the firmware does not use fw_cfg at the same time. The DSDT
# needs no pointer patching by the loader (it points nowhere), so the bytes are the ones
# a guest sees, except the checksum byte the loader computes (below). Usage: dump_q35_dsdt.py q35_dsdt.aml
import struct
import subprocess
import sys


def main():
    out = sys.argv[1]
    proc = subprocess.Popen(
        ["qemu-system-x86_64", "-machine", "q35", "-accel", "tcg", "-qtest", "stdio", "-S",
         "-display", "none", "-nodefaults", "-cpu", "max", "-m", "512",
         "-drive", "file=/dev/null,format=raw,if=none,id=disk0,readonly=on",
         "-device", "virtio-blk-pci,drive=disk0,disable-legacy=on",
         "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)

    def cmd(line):
        proc.stdin.write(line + "\n")
        proc.stdin.flush()
        while True:
            reply = proc.stdout.readline()
            if not reply:
                raise SystemExit("qemu closed the qtest connection")
            if reply.startswith("OK") or reply.startswith("FAIL"):
                return reply.split()

    def select(key):
        cmd("outw 0x510 0x%x" % key)

    def read(n):
        return bytes(int(cmd("inb 0x511")[1], 16) for _ in range(n))

    select(0x19)  # FW_CFG_FILE_DIR: big-endian count, then 64-byte entries
    (count,) = struct.unpack(">I", read(4))
    key = size = None
    for _ in range(count):
        fsize, fselect, _reserved, name = struct.unpack(">IHH56s", read(64))
        if name.rstrip(b"\0") == b"etc/acpi/tables":
            key, size = fselect, fsize
    if key is None:
        raise SystemExit("no etc/acpi/tables in fw_cfg")
    select(key)
    blob = read(size)
    proc.stdin.close()
    proc.kill()
    at = blob.find(b"DSDT")
    if at < 0:
        raise SystemExit("no DSDT in etc/acpi/tables")
    (length,) = struct.unpack("<I", blob[at + 4:at + 8])
    table = bytearray(blob[at:at + length])
    # The blob leaves the checksum 0; the firmware's loader fills it in ("etc/table-loader",
    # ADD_CHECKSUM over the whole table): do the same so the table validates as in a guest.
    table[9] = 0
    table[9] = (-sum(table)) & 0xFF
    with open(out, "wb") as f:
        f.write(table)
    print("DSDT: %d bytes at offset %d of %d" % (length, at, size))


main()
