// kernel/arch/x86_64/qemu_exit.cc — isa-debug-exit device at I/O port 0xf4 (QEMU hw/misc).
#include "kernel/arch/x86_64/qemu_exit.h"

#include "lib/x86/port_io.h"

namespace hiillos::arch {

void QemuExit(QemuExitCode code) {
  x86::Out32(0xf4, static_cast<unsigned char>(code));
}

}  // namespace hiillos::arch
