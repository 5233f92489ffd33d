// kernel/arch/x86_64/qemu_exit.h — ends a QEMU run with a verdict through isa-debug-exit.
#pragma once

namespace hiillos::arch {

enum class QemuExitCode : unsigned char {
  // QEMU exits with (code << 1) | 1: 0x31 -> 99 (pass), 0x30 -> 97 (fail).
  kPass = 0x31,
  kFail = 0x30,
};

// Writes the code to the isa-debug-exit port (0xf4). Returns only when no such device exists.
void QemuExit(QemuExitCode code);

}  // namespace hiillos::arch
