// kernel/arch/cpu_local.h — the architecture interface for per-CPU state: this CPU's index and
// the scheduler's current-thread slot.
#pragma once

#include <stdint.h>

#include "kernel/arch/api_concepts.h"
#include "kernel/arch/x86_64/cpu_local.h"

namespace hiillos::arch {

template <typename T>
concept CpuLocalApi = requires(uint32_t index, void* thread) {
  { T::kMaxCpus } -> SameAs<const uint32_t&>;
  { T::Index() } -> SameAs<uint32_t>;
  { T::IndexIfReady(index) } -> SameAs<uint32_t>;
  { T::CurrentThread() } -> SameAs<void*>;
  { T::SetCurrentThread(thread) } -> SameAs<void>;
};

using CpuLocal = x86_64::CpuLocal;
static_assert(CpuLocalApi<CpuLocal>);

// CPU indices are dense, 0 = the boot CPU, below arch::kMaxCpus (CpuLocal::kMaxCpus).
inline constexpr uint32_t kNoCpu = ~0u;

// This CPU's index; only once its per-CPU state is set up.
inline uint32_t CpuIndex() {
  return CpuLocal::Index();
}
// This CPU's index, or kNoCpu before its per-CPU state is set up (logging, panics).
inline uint32_t CpuIndexIfReady() {
  return CpuLocal::IndexIfReady(kNoCpu);
}
// The scheduler's current thread on this CPU (nullptr while idle or before the scheduler).
inline void* CurrentThreadSlot() {
  return CpuLocal::CurrentThread();
}
inline void SetCurrentThreadSlot(void* thread) {
  CpuLocal::SetCurrentThread(thread);
}

}  // namespace hiillos::arch
