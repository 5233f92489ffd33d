// kernel/arch/interrupts.h — the architecture interface for the local interrupt flag: a scoped
// save/disable/restore guard, enable/disable, wait-for-interrupt, halt, spin-wait hint.
#pragma once

#include "kernel/arch/api_concepts.h"
#include "kernel/arch/x86_64/interrupt_control.h"
#include "lib/base/atomic.h"

namespace hiillos::arch {

// What an architecture provides: a saved state and the operations on this CPU's interrupt flag.
template <typename T>
concept InterruptControlApi = requires(typename T::State state) {
  { T::SaveAndDisable() } -> SameAs<typename T::State>;
  { T::Restore(state) } -> SameAs<void>;
  { T::WasEnabled(state) } -> SameAs<bool>;
  { T::Enabled() } -> SameAs<bool>;
  { T::Enable() } -> SameAs<void>;
  { T::Disable() } -> SameAs<void>;
  { T::EnableAndWait() } -> SameAs<void>;
  { T::ServePending() } -> SameAs<void>;
  { T::HaltForever() } -> SameAs<void>;
  { T::Relax() } -> SameAs<void>;
};

using Interrupts = x86_64::InterruptControl;
static_assert(InterruptControlApi<Interrupts>);

using InterruptState = Interrupts::State;

// Disables interrupts on this CPU for the guard's scope and restores the previous state.
class InterruptGuard {
 public:
  InterruptGuard() : state_(Interrupts::SaveAndDisable()) {}
  ~InterruptGuard() { Interrupts::Restore(state_); }
  InterruptGuard(const InterruptGuard&) = delete;
  InterruptGuard& operator=(const InterruptGuard&) = delete;

 private:
  InterruptState state_;
};

// Enables interrupts on this CPU for the guard's scope (tests that need device interrupts) and
// restores the previous state.
class InterruptEnableGuard {
 public:
  InterruptEnableGuard() : were_enabled_(Interrupts::Enabled()) { Interrupts::Enable(); }
  ~InterruptEnableGuard() {
    if (!were_enabled_) Interrupts::Disable();
  }
  InterruptEnableGuard(const InterruptEnableGuard&) = delete;
  InterruptEnableGuard& operator=(const InterruptEnableGuard&) = delete;

 private:
  bool were_enabled_;
};

inline InterruptState SaveAndDisableInterrupts() {
  return Interrupts::SaveAndDisable();
}
inline void RestoreInterrupts(InterruptState state) {
  Interrupts::Restore(state);
}
// Whether interrupts were on when `state` was saved.
inline bool InterruptsWereEnabled(InterruptState state) {
  return Interrupts::WasEnabled(state);
}
inline bool InterruptsEnabled() {
  return Interrupts::Enabled();
}
inline void EnableInterrupts() {
  Interrupts::Enable();
}
inline void DisableInterrupts() {
  Interrupts::Disable();
}
// Enables interrupts and waits for one, atomically with respect to the enable.
inline void EnableInterruptsAndWait() {
  Interrupts::EnableAndWait();
}
// With interrupts off: briefly lets pending interrupts (cross calls, ticks) be served.
inline void ServePendingInterrupts() {
  Interrupts::ServePending();
}
[[noreturn]] inline void HaltForever() {
  Interrupts::HaltForever();
}
// What a CPU busy-waiting with interrupts off runs between spins: set once by the cross-call
// layer (ipi.cc) to serve the cross calls (TLB shootdowns) sent to this CPU. A lock holder may
// be waiting for this CPU's answer; with interrupts off the IPI would never be taken, and the
// two would wait for each other (docs/locking.md). Null in host tests and before SMP start-up.
inline Atomic<void (*)()> g_spin_wait_hook{};
inline void SetSpinWaitHook(void (*hook)()) {
  g_spin_wait_hook.Store(hook, MemoryOrder::kRelease);
}

// Spin-wait step for busy loops: the hint, and with interrupts off the cross calls pending for
// this CPU (above).
inline void Pause() {
  Interrupts::Relax();
  void (*hook)() = g_spin_wait_hook.Load(MemoryOrder::kAcquire);
  if (hook != nullptr && !Interrupts::Enabled()) hook();
}

}  // namespace hiillos::arch
