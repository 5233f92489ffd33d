// kernel/lib/spinlock.h — ticket-free test-and-test-and-set spinlock with interrupts disabled
// while held, and its scoped guard. Never block or sleep while holding one (docs/locking.md).
#pragma once

#include <stdint.h>

#include "kernel/lib/thread_annotations.h"

namespace hiillos {

class TA_CAPABILITY("spinlock") SpinLock {
 public:
  constexpr SpinLock() = default;
  SpinLock(const SpinLock&) = delete;
  SpinLock& operator=(const SpinLock&) = delete;

  // Disables interrupts (remembering whether they were on) and spins until the lock is ours.
  void Lock() TA_ACQUIRE() {
    uint64_t flags;
    asm volatile("pushfq; popq %0; cli" : "=r"(flags) : : "memory");
    while (__atomic_exchange_n(&locked_, true, __ATOMIC_ACQUIRE)) {
      while (__atomic_load_n(&locked_, __ATOMIC_RELAXED)) asm volatile("pause");
    }
    saved_interrupts_ = (flags & (1u << 9)) != 0;
  }

  void Unlock() TA_RELEASE() {
    bool restore = saved_interrupts_;
    __atomic_store_n(&locked_, false, __ATOMIC_RELEASE);
    if (restore) asm volatile("sti" ::: "memory");
  }

  bool IsHeld() const { return __atomic_load_n(&locked_, __ATOMIC_RELAXED); }

 private:
  bool locked_ = false;
  bool saved_interrupts_ = false;
};

class TA_SCOPED_CAPABILITY SpinLockGuard {
 public:
  explicit SpinLockGuard(SpinLock& lock) TA_ACQUIRE(lock) : lock_(lock) { lock_.Lock(); }
  ~SpinLockGuard() TA_RELEASE() { lock_.Unlock(); }
  SpinLockGuard(const SpinLockGuard&) = delete;
  SpinLockGuard& operator=(const SpinLockGuard&) = delete;

 private:
  SpinLock& lock_;
};

}  // namespace hiillos
