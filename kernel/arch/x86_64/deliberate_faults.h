// kernel/arch/x86_64/deliberate_faults.h — instructions that fault (or hang a CPU) on purpose, for
// the boot tests of the panic path (kernel/boot/crash_switch.cc), behind
// kernel/arch/deliberate_faults.h.
#pragma once

#include <stdint.h>

#include "lib/base/atomic.h"

namespace hiillos::arch::x86_64 {

struct DeliberateFaults {
  // UD2: #UD.
  static void InvalidInstruction();
  // A read of a non-canonical address: #GP.
  static void ProtectionFault();
  // DIV by zero: #DE.
  static void DivideByZero();
  // Loads RSP with `bad_stack` (unmapped) and pushes: a #PF that only an IST stack can take.
  static void FaultOnBadStack(uint64_t bad_stack);
  // Loads RBP with `bad_frame_pointer`, then writes to `unmapped`: a #PF whose backtrace walk
  // faults again.
  static void FaultWithBadFramePointer(uint64_t bad_frame_pointer, uint64_t unmapped);
  // Disables interrupts, sets *spinning and spins here forever: this CPU answers no IPI (only
  // an NMI), so a cross call to it times out.
  [[noreturn]] static void SpinWithInterruptsOff(Atomic<bool>* spinning);
};

}  // namespace hiillos::arch::x86_64
