// kernel/user/user_copy.h — CopyFromUser / CopyToUser: the only way kernel code touches user
// memory. Never trusts the pointer: the range must lie in user space (layout.h), and the copy
// runs under a fault probe with SMAP opened (STAC/CLAC) only for the copy itself, so an
// unmapped, read-only or concurrently unmapped page gives kBadAddress instead of a panic.
//
// May be called in thread context with interrupts on or off (it disables them for the copy:
// the fault probe is per CPU). Do not hold a spinlock across a large copy.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "kernel/result/kresult.h"
#include "kernel/user/user_ptr.h"
#include "lib/base/result.h"
#include "uapi/status.h"

namespace hiillos::user {

// Errors: kBadAddress (range outside user space or overflowing, or a fault during the copy;
// then `kernel_dst` may hold part of the data).
KResult<void> CopyFromUser(void* kernel_dst, uint64_t user_src, size_t size);
// Errors: kBadAddress (as above; then part of the user range may have been written).
KResult<void> CopyToUser(uint64_t user_dst, const void* kernel_src, size_t size);

template <typename T>
KResult<T> CopyIn(UserIn<T> source) {
  T value;
  TRY(CopyFromUser(&value, source.address(), sizeof(T)));
  return value;
}

template <typename T>
KResult<void> CopyOut(UserOut<T> destination, const T& value) {
  return CopyToUser(destination.address(), &value, sizeof(T));
}

}  // namespace hiillos::user
