// kernel/arch/x86_64/interrupt_control.h — RFLAGS.IF control, HLT and PAUSE for the
// arch::InterruptControl interface (kernel/arch/interrupts.h). SDM Vol.3A §6.8.1.
#pragma once

#include <stdint.h>

#include "lib/x86/control_registers.h"

namespace hiillos::arch::x86_64 {

struct InterruptControl {
  using State = uint64_t;  // RFLAGS as it was before the disable

  static State SaveAndDisable() {
    uint64_t flags;
    asm volatile("pushfq; popq %0; cli" : "=r"(flags) : : "memory");
    return flags;
  }
  static void Restore(State state) {
    if ((state & x86::kRflagsInterrupt) != 0) asm volatile("sti" ::: "memory");
  }
  static bool WasEnabled(State state) { return (state & x86::kRflagsInterrupt) != 0; }
  static bool Enabled() { return (x86::ReadRflags() & x86::kRflagsInterrupt) != 0; }
  static void Enable() { asm volatile("sti" ::: "memory"); }
  static void Disable() { asm volatile("cli" ::: "memory"); }
  // STI's one-instruction shadow makes "enable + halt" atomic: an interrupt that arrives after
  // the caller's last check still ends the HLT.
  static void EnableAndWait() { asm volatile("sti; hlt" ::: "memory"); }
  // Lets interrupts that are already pending in, then disables them again (STI takes effect
  // after the next instruction, hence the NOP).
  static void ServePending() { asm volatile("sti; nop; cli" ::: "memory"); }
  [[noreturn]] static void HaltForever() {
    for (;;) asm volatile("cli; hlt" ::: "memory");
  }
  // A spin-wait hint (PAUSE).
  static void Relax() { __builtin_ia32_pause(); }
};

}  // namespace hiillos::arch::x86_64
