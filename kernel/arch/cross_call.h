// kernel/arch/cross_call.h — the architecture interface for other CPUs: the online set, running
// a function on another CPU (or all others) and waiting for it, and waking a halted CPU.
// Rules for callers and called functions: kernel/arch/x86_64/ipi.h and docs/locking.md.
//
// From the implementation (kernel/arch/x86_64/ipi.h): OnlineCpuMask, OnlineCpus, RunOnCpu,
// RunOnOtherCpus, RunOnCpus, WakeCpu, HaltOtherCpus (the panic path's NMI broadcast), IpiError.
#pragma once

#include <stdint.h>

#include "kernel/arch/api_concepts.h"
#include "kernel/arch/x86_64/ipi.h"

namespace hiillos::arch {

static_assert(requires(uint32_t cpu, void (*fn)(void*), void* arg) {
  { OnlineCpuMask() } -> SameAs<uint64_t>;
  { OnlineCpus() } -> SameAs<uint32_t>;
  { RunOnCpu(cpu, fn, arg) } -> SameAs<Result<void, IpiError>>;
  { RunOnOtherCpus(fn, arg) } -> SameAs<void>;
  { RunOnCpus(uint64_t{}, fn, arg) } -> SameAs<void>;
  { WakeCpu(cpu) } -> SameAs<Result<void, IpiError>>;
  { HaltOtherCpus() } -> SameAs<void>;
});

}  // namespace hiillos::arch
