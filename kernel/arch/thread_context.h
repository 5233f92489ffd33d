// kernel/arch/thread_context.h — the architecture interface for switching threads: the kernel
// stack switch, the first-run frame, the user register state kept across switches (FPU, TLS
// bases) and the stack the CPU enters the kernel on.
#pragma once

#include <stdint.h>

#include "kernel/arch/api_concepts.h"
#include "kernel/arch/x86_64/thread_context.h"

namespace hiillos::arch {

template <typename T>
concept ThreadContextApi = requires(uint64_t* save, uint64_t load, typename T::UserState* state,
                                    const typename T::UserState* saved, void (*fn)(void*),
                                    void* arg) {
  // The initial stack pointer of a new thread whose stack ends at `load`: the first switch to it
  // enters the kernel's thread_first_run hook (KernelServices).
  { T::PrepareFirstSwitch(load) } -> SameAs<uint64_t>;
  // Saves the callee-saved context on this stack, stores its stack pointer in *save, resumes the
  // thread saved at `load`. Interrupts off.
  { T::Switch(save, load) } -> SameAs<void>;
  // Abandons the current stack: calls fn(arg) on the stack ending at `load`; never returns.
  { T::RunOnStack(load, fn, arg) } -> SameAs<void>;
  // Per-CPU set-up (FPU enable) before the first user thread runs on this CPU.
  { T::InitCpu() } -> SameAs<void>;
  { T::ResetUserState(state) } -> SameAs<void>;
  { T::SaveUserState(state) } -> SameAs<void>;
  { T::RestoreUserState(saved) } -> SameAs<void>;
  { T::SetKernelEntryStack(load) } -> SameAs<void>;
};

using ThreadContext = x86_64::ThreadContext;
static_assert(ThreadContextApi<ThreadContext>);

using UserThreadState = ThreadContext::UserState;

}  // namespace hiillos::arch
