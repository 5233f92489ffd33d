// kernel/arch/spinlock.h — the kernel's busy-wait locks, with clang thread-safety annotations
// (docs/locking.md has every lock and the lock order). Part of the architecture layer (as
// Zircon's arch spinlocks) because the architecture code takes them too and depends on no
// generic kernel package.
//
// SpinLock: test-and-test-and-set on one Atomic<bool>; it does not touch the
// interrupt flag, so it also runs in host tests. Never take it from an interrupt handler.
// IrqSpinLock: additionally disables interrupts while held (restores the previous state), for
// data that interrupt handlers (timer, IPIs) also touch. Kernel only.
// Holders of either must not block or sleep.
#pragma once

#include <stdint.h>

#include "kernel/arch/interrupts.h"
#include "lib/base/atomic.h"
#include "lib/base/thread_annotations.h"

namespace hiillos {

class TA_CAPABILITY("spinlock") SpinLock {
 public:
  constexpr SpinLock() = default;
  SpinLock(const SpinLock&) = delete;
  SpinLock& operator=(const SpinLock&) = delete;

  // The uncontended case inline (one exchange); the wait out of line and `preserve_most` (the
  // callee saves the registers), so a lock site keeps no call's register spills on its fast
  // path: the IPC round trip's three capability lookups cost 33 instructions more when the wait
  // (with the cross-call hook's call in arch::Pause) was inline.
  void Lock() TA_ACQUIRE() {
    if (__builtin_expect(!locked_.Exchange(true, MemoryOrder::kAcquire), 1)) return;
    LockContended();
  }
  // One attempt: true if the lock is now held (for taking locks against the lock order without
  // deadlock: back off and retry when it fails).
  bool TryLock() TA_TRY_ACQUIRE(true) {
    return !locked_.Load(MemoryOrder::kRelaxed) && !locked_.Exchange(true, MemoryOrder::kAcquire);
  }
  void Unlock() TA_RELEASE() { locked_.Store(false, MemoryOrder::kRelease); }
  bool IsHeld() const { return locked_.Load(MemoryOrder::kRelaxed); }
  // Tells the analysis the caller holds the lock (taken where it cannot see, e.g. by a function
  // that returns which lock it took).
  void AssertHeld() const TA_ASSERT_CAPABILITY(this) {}

 private:
  __attribute__((noinline, cold, preserve_most)) void LockContended() TA_NO_THREAD_SAFETY_ANALYSIS {
    do {
      // Wait on plain loads (the cache line stays shared) until it looks free, then retry.
      while (locked_.Load(MemoryOrder::kRelaxed)) arch::Pause();
    } while (locked_.Exchange(true, MemoryOrder::kAcquire));
  }

  Atomic<bool> locked_;
};

class TA_CAPABILITY("spinlock") IrqSpinLock {
 public:
  constexpr IrqSpinLock() = default;
  IrqSpinLock(const IrqSpinLock&) = delete;
  IrqSpinLock& operator=(const IrqSpinLock&) = delete;

  // While the lock is taken by another CPU, waits with interrupts as the caller had them: a
  // caller that had them on still answers cross calls (TLB shootdowns) while it waits. Spinning
  // with them off deadlocked when the holder waited for this CPU's answer to a shootdown it sent
  // while holding the lock ("cross call ... did not answer").
  void Lock() TA_ACQUIRE() {
    arch::InterruptState state = arch::SaveAndDisableInterrupts();
    if (__builtin_expect(!lock_.TryLock(), 0)) state = LockContended(state);
    saved_state_ = state;
  }
  void Unlock() TA_RELEASE() {
    arch::InterruptState state = saved_state_;
    lock_.Unlock();
    arch::RestoreInterrupts(state);
  }
  bool IsHeld() const { return lock_.IsHeld(); }

 private:
  // Out of line, as SpinLock's: returns the state to restore at Unlock, with the lock held.
  __attribute__((noinline, cold, preserve_most)) arch::InterruptState LockContended(
      arch::InterruptState state) TA_NO_THREAD_SAFETY_ANALYSIS {
    do {
      arch::RestoreInterrupts(state);
      while (lock_.IsHeld()) arch::Pause();
      state = arch::SaveAndDisableInterrupts();
    } while (!lock_.TryLock());
    return state;
  }

  SpinLock lock_;
  arch::InterruptState saved_state_{};
};

// Holds a lock for the guard's scope.
template <typename Lock>
class TA_SCOPED_CAPABILITY LockGuard {
 public:
  explicit LockGuard(Lock& lock) TA_ACQUIRE(lock) : lock_(lock) { lock_.Lock(); }
  ~LockGuard() TA_RELEASE() { lock_.Unlock(); }
  LockGuard(const LockGuard&) = delete;
  LockGuard& operator=(const LockGuard&) = delete;

 private:
  Lock& lock_;
};

using SpinLockGuard = LockGuard<SpinLock>;
using IrqSpinLockGuard = LockGuard<IrqSpinLock>;

}  // namespace hiillos
