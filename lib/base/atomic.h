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

// Orders this thread's accesses against an interrupt handler on the same CPU (a compiler
// barrier; no fence instruction), as std::atomic_signal_fence.
inline void SignalFence(MemoryOrder order) {
  __atomic_signal_fence(static_cast<int>(order));
}

// A fence between this thread's accesses, as std::atomic_thread_fence.
inline void ThreadFence(MemoryOrder order) {
  __atomic_thread_fence(static_cast<int>(order));
}

namespace internal {
// What Atomic<T> stores: the __atomic builtins take integers and pointers, so an enum is kept
// as its underlying integer (same size and alignment).
template <typename T, bool = __is_enum(T)>
struct AtomicStorage {
  using Type = T;
};
template <typename T>
struct AtomicStorage<T, true> {
  using Type = __underlying_type(T);
};
}  // namespace internal

template <typename T>
class Atomic {
  using Storage = typename internal::AtomicStorage<T>::Type;
  static_assert(__is_trivially_copyable(T), "Atomic<T> holds plain values");
  static_assert(sizeof(T) <= 8 && __atomic_always_lock_free(sizeof(T), 0),
                "Atomic<T> is for lock-free sizes");

 public:
  constexpr Atomic() : value_() {}
  constexpr explicit Atomic(T value) : value_(static_cast<Storage>(value)) {}
  Atomic(const Atomic&) = delete;
  Atomic& operator=(const Atomic&) = delete;

  T Load(MemoryOrder order) const {
    return static_cast<T>(__atomic_load_n(&value_, static_cast<int>(order)));
  }
  void Store(T value, MemoryOrder order) {
    __atomic_store_n(&value_, static_cast<Storage>(value), static_cast<int>(order));
  }
  T Exchange(T value, MemoryOrder order) {
    return static_cast<T>(
        __atomic_exchange_n(&value_, static_cast<Storage>(value), static_cast<int>(order)));
  }
  // On failure `expected` receives the current value.
  bool CompareExchange(T& expected, T desired, MemoryOrder success, MemoryOrder failure) {
    Storage raw = static_cast<Storage>(expected);
    bool exchanged =
        __atomic_compare_exchange_n(&value_, &raw, static_cast<Storage>(desired), false,
                                    static_cast<int>(success), static_cast<int>(failure));
    expected = static_cast<T>(raw);
    return exchanged;
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
  Storage value_;
};

}  // namespace hiillos
