// kernel/arch/user_copy.h — the architecture interface for touching user memory: a byte copy
// that survives a fault (and opens the SMAP-style window it needs). Range checks are the
// caller's (kernel/user/user_copy.h).
#pragma once

#include <stddef.h>

#include "kernel/arch/api_concepts.h"
#include "kernel/arch/x86_64/user_copy.h"

namespace hiillos::arch {

template <typename T>
concept UserCopyApi = requires(void* destination, const void* source, size_t size) {
  { T::CopyBytes(destination, source, size) } -> SameAs<bool>;
};

using UserCopy = x86_64::UserCopy;
static_assert(UserCopyApi<UserCopy>);

// Copies `size` bytes; false if an access faulted. One side must be a user range the caller
// has checked.
[[nodiscard]] inline bool CopyUserBytes(void* destination, const void* source, size_t size) {
  return UserCopy::CopyBytes(destination, source, size);
}

}  // namespace hiillos::arch
