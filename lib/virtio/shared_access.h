// lib/virtio/shared_access.h — atomic accesses to ring words the device also reads or writes
// (compiler builtins: freestanding, no <atomic>). virtio 1.x rings are little-endian, as is x86.
//
// Where the spec asks for a memory barrier (VIRTIO 1.1 §2.6.13: before publishing avail idx,
// after reading used idx, and between publishing avail idx and reading the device's suppression
// fields) the access itself carries the ordering: release / acquire / sequentially consistent.
#pragma once

#include <stdint.h>

static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "virtio rings are little-endian");

namespace hiillos::virtio {

template <typename T>
inline T LoadAcquire(const T* word) {
  return __atomic_load_n(word, __ATOMIC_ACQUIRE);
}
template <typename T>
inline T LoadRelaxed(const T* word) {
  return __atomic_load_n(word, __ATOMIC_RELAXED);
}
template <typename T>
inline T LoadSequential(const T* word) {
  return __atomic_load_n(word, __ATOMIC_SEQ_CST);
}
template <typename T>
inline void StoreRelaxed(T* word, T value) {
  __atomic_store_n(word, value, __ATOMIC_RELAXED);
}
template <typename T>
inline void StoreRelease(T* word, T value) {
  __atomic_store_n(word, value, __ATOMIC_RELEASE);
}
template <typename T>
inline void StoreSequential(T* word, T value) {
  __atomic_store_n(word, value, __ATOMIC_SEQ_CST);
}

}  // namespace hiillos::virtio
