// lib/base/atomic.h — Atomic<T>: a value only ever accessed atomically, with the memory order
// named at every access (a small std::atomic for freestanding code; Zircon's ktl::atomic).
//
// For integers, bools, enums and pointers up to 8 bytes (lock-free on x86-64). Every access
// goes through a member; there is no implicit load or store, so a reader sees where the
// synchronisation is.
#pragma once

#include <stdint.h>

namespace hiillos {

enum class MemoryOrder : int {
  kRelaxed = __ATOMIC_RELAXED,
  kAcquire = __ATOMIC_ACQUIRE,
  kRelease = __ATOMIC_RELEASE,
  kAcqRel = __ATOMIC_ACQ_REL,
  kSeqCst = __ATOMIC_SEQ_CST,
};

template <typename T>
class Atomic {
  static_assert(__is_trivially_copyable(T), "Atomic<T> holds plain values");
  static_assert(sizeof(T) <= 8 && __atomic_always_lock_free(sizeof(T), 0),
                "Atomic<T> is for lock-free sizes");

 public:
  constexpr Atomic() : value_() {}
  constexpr explicit Atomic(T value) : value_(value) {}
  Atomic(const Atomic&) = delete;
  Atomic& operator=(const Atomic&) = delete;

  T Load(MemoryOrder order) const { return __atomic_load_n(&value_, static_cast<int>(order)); }
  void Store(T value, MemoryOrder order) {
    __atomic_store_n(&value_, value, static_cast<int>(order));
  }
  T Exchange(T value, MemoryOrder order) {
    return __atomic_exchange_n(&value_, value, static_cast<int>(order));
  }
  // On failure `expected` receives the current value.
  bool CompareExchange(T& expected, T desired, MemoryOrder success, MemoryOrder failure) {
    return __atomic_compare_exchange_n(&value_, &expected, desired, false,
                                       static_cast<int>(success), static_cast<int>(failure));
  }
  // Return the value before the operation.
  T FetchAdd(T delta, MemoryOrder order) {
    return __atomic_fetch_add(&value_, delta, static_cast<int>(order));
  }
  T FetchSub(T delta, MemoryOrder order) {
    return __atomic_fetch_sub(&value_, delta, static_cast<int>(order));
  }
  T FetchOr(T bits, MemoryOrder order) {
    return __atomic_fetch_or(&value_, bits, static_cast<int>(order));
  }
  T FetchAnd(T bits, MemoryOrder order) {
    return __atomic_fetch_and(&value_, bits, static_cast<int>(order));
  }

 private:
  T value_;
};

}  // namespace hiillos
