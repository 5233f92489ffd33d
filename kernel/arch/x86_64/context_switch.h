// kernel/arch/x86_64/context_switch.h — switching kernel stacks between threads, and the frame a
// new thread's stack starts with.
//
// A switched-out thread's kernel stack holds, from its saved RSP upwards: R15, R14, R13, R12,
// RBX, RBP (the System V callee-saved registers) and the return address. Everything else a
// thread needs (FPU, FS/GS bases, CR3, TSS.RSP0) is switched by the scheduler around the call.
#pragma once

#include <stdint.h>

namespace hiillos::arch {

extern "C" {
// Saves the callee-saved registers on the current stack, stores RSP in *save_rsp, loads
// `load_rsp` and returns into the thread that was saved there. Interrupts must be off.
void ContextSwitch(uint64_t* save_rsp, uint64_t load_rsp);
// The return address of a new thread's first switch: clears RBP, aligns RSP and calls the
// kernel's thread_first_run hook (KernelServices; the scheduler's), which must not return.
void ThreadTrampoline();
}

// Writes the initial switch frame below `stack_pointer` (16-byte aligned) and returns the RSP
// to pass to ContextSwitch: the first switch to it "returns" into ThreadTrampoline.
inline uint64_t PrepareSwitchFrame(uint64_t stack_pointer) {
  uint64_t* slot = reinterpret_cast<uint64_t*>(stack_pointer);
  *--slot = 0;  // padding: keeps the trampoline's RSP at 8 mod 16 like after a call
  *--slot = reinterpret_cast<uint64_t>(&ThreadTrampoline);
  for (int i = 0; i < 6; ++i) *--slot = 0;  // RBP, RBX, R12..R15
  return reinterpret_cast<uint64_t>(slot);
}

}  // namespace hiillos::arch
