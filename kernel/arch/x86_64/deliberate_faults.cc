// kernel/arch/x86_64/deliberate_faults.cc — the faulting (and CPU-hanging) instructions of the
// panic boot tests.
#include "kernel/arch/x86_64/deliberate_faults.h"

namespace hiillos::arch::x86_64 {

// Each is its own non-inlined function so the backtrace shows it by name.
[[gnu::noinline]] void DeliberateFaults::InvalidInstruction() {
  asm volatile("ud2");
}

[[gnu::noinline]] void DeliberateFaults::ProtectionFault() {
  uint64_t value;
  asm volatile("movq (%1), %0" : "=r"(value) : "r"(0x8000'0000'0000'0000ull) : "memory");
  (void)value;
}

[[gnu::noinline]] void DeliberateFaults::DivideByZero() {
  static volatile uint64_t one = 1;
  asm volatile("xorl %%ecx, %%ecx\n divq %%rcx" : : "a"(one), "d"(0) : "rcx", "cc");
}

[[gnu::noinline]] void DeliberateFaults::FaultOnBadStack(uint64_t bad_stack) {
  asm volatile("movq %0, %%rsp\n pushq $0" : : "r"(bad_stack) : "memory");
}

[[gnu::noinline]] void DeliberateFaults::FaultWithBadFramePointer(uint64_t bad_frame_pointer,
                                                                  uint64_t unmapped) {
  asm volatile("movq %0, %%rbp\n movq $1, (%1)"
               :
               : "r"(bad_frame_pointer), "r"(unmapped)
               : "memory");
}

[[gnu::noinline]] void DeliberateFaults::SpinWithInterruptsOff(Atomic<bool>* spinning) {
  asm volatile("cli" ::: "memory");
  spinning->Store(true, MemoryOrder::kRelease);
  for (;;) asm volatile("pause" ::: "memory");
}

}  // namespace hiillos::arch::x86_64
