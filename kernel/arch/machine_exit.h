// kernel/arch/machine_exit.h — the architecture interface for ending a test run with a verdict
// (QEMU's isa-debug-exit on x86-64); returns when the machine has no such device.
#pragma once

#include "kernel/arch/x86_64/qemu_exit.h"

namespace hiillos::arch {

inline void ExitMachine(bool passed) {
  QemuExit(passed ? QemuExitCode::kPass : QemuExitCode::kFail);
}

}  // namespace hiillos::arch
