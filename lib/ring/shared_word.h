// lib/ring/shared_word.h — atomic accesses to the 32-bit words of a RingHeader in shared memory
// (compiler builtins: freestanding, no <atomic>; the other side may be another process).
//
// The wake-up protocol needs "my store, then your store is visible to my load" on both sides
// (a Dekker pattern): every access that takes part in it is sequentially consistent, so the C++
// memory model (and ThreadSanitizer) guarantee it without separate fences.
#pragma once

#include <stdint.h>

namespace hiillos::ring {

inline uint32_t LoadAcquire(const uint32_t* word) {
  return __atomic_load_n(word, __ATOMIC_ACQUIRE);
}
inline uint32_t LoadRelaxed(const uint32_t* word) {
  return __atomic_load_n(word, __ATOMIC_RELAXED);
}
inline uint32_t LoadSequential(const uint32_t* word) {
  return __atomic_load_n(word, __ATOMIC_SEQ_CST);
}
inline void StoreSequential(uint32_t* word, uint32_t value) {
  __atomic_store_n(word, value, __ATOMIC_SEQ_CST);
}
inline uint32_t ExchangeSequential(uint32_t* word, uint32_t value) {
  return __atomic_exchange_n(word, value, __ATOMIC_SEQ_CST);
}

// The signalling side's step: true when the peer had announced that it sleeps (its flag was set),
// in which case the flag is now clear and the caller must signal the peer's Notify exactly once.
inline bool TakeWaitingFlag(uint32_t* flag) {
  return LoadSequential(flag) != 0 && ExchangeSequential(flag, 0) != 0;
}

}  // namespace hiillos::ring
