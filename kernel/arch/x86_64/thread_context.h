// kernel/arch/x86_64/thread_context.h — what the scheduler switches per thread on x86-64: kernel
// stack (ContextSwitch), FXSAVE state, FS/GS bases, the ring-0 entry stack (TSS.RSP0 and the
// SYSCALL stack), the I/O permission bitmap (io_permission.h), for the arch::ThreadContext
// interface (kernel/arch/thread_context.h).
#pragma once

#include <stdint.h>

#include "kernel/arch/x86_64/context_switch.h"
#include "kernel/arch/x86_64/fpu.h"
#include "kernel/arch/x86_64/gdt.h"
#include "kernel/arch/x86_64/io_permission.h"
#include "kernel/arch/x86_64/percpu.h"
#include "kernel/arch/x86_64/segments.h"
#include "kernel/arch/x86_64/stack_switch.h"
#include "lib/x86/msr.h"

namespace hiillos::arch::x86_64 {

struct ThreadContext {
  // Per-thread state the kernel keeps for a user thread while it is switched out.
  struct UserState {
    FpuState fpu;
    uint64_t fs_base = 0;
    uint64_t gs_base = 0;  // the user's GS base (IA32_KERNEL_GS_BASE while in the kernel)
    IoPermissionState io;  // ports it may use (kept across ResetUserState)
  };

  static uint64_t PrepareFirstSwitch(uint64_t stack_top) { return PrepareSwitchFrame(stack_top); }
  static void Switch(uint64_t* save_stack_pointer, uint64_t load_stack_pointer) {
    ContextSwitch(save_stack_pointer, load_stack_pointer);
  }
  // Continues on another stack: calls fn(arg) with the stack pointer at `stack_top`.
  [[noreturn]] static void RunOnStack(uint64_t stack_top, void (*fn)(void*), void* arg) {
    SwitchStackAndCall(stack_top, fn, arg);
  }
  static void InitCpu() { FpuInitCpu(); }
  static void ResetUserState(UserState* state) {
    FpuResetState(&state->fpu);
    state->fs_base = 0;
    state->gs_base = 0;
  }
  static void SaveUserState(UserState* state) {
    FpuSave(&state->fpu);
    state->fs_base = x86::ReadMsr(x86::kMsrFsBase);
    state->gs_base = x86::ReadMsr(x86::kMsrKernelGsBase);
  }
  static void RestoreUserState(const UserState* state) {
    FpuRestore(&state->fpu);
    x86::WriteMsr(x86::kMsrFsBase, state->fs_base);
    x86::WriteMsr(x86::kMsrKernelGsBase, state->gs_base);
    // A thread without ports (the common case) only disables the TSS bitmap: inline, as every
    // switch-in of a user thread (each IPC direct switch) comes here.
    if (state->io.bitmap == nullptr) {
      CurrentCpu()->tss->io_map_base = kIoMapDisabled;
    } else {
      IoPermissionLoad(state->io);
    }
  }
  // Ring-3 interrupts (TSS.RSP0) and SYSCALL (%gs:8) enter the kernel on this stack.
  static void SetKernelEntryStack(uint64_t stack_top) {
    PerCpu* cpu = CurrentCpu();
    cpu->kernel_stack_top = stack_top;
    cpu->tss->rsp[0] = stack_top;
  }
};

}  // namespace hiillos::arch::x86_64
