// kernel/result/kresult.h — KResult<T>: the kernel's result type (a T or a uapi::Status error)
// and Ok() for KResult<void>, so kernel code never spells the error type.
#pragma once

#include "lib/base/result.h"
#include "uapi/status.h"

namespace hiillos {

template <typename T>
using KResult = Result<T, uapi::Status>;

// Success of a KResult<void>.
[[nodiscard]] constexpr KResult<void> Ok() {
  return KResult<void>();
}

}  // namespace hiillos
