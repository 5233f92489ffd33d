// kernel/panic/assert.h — ASSERT(cond): panics when a kernel invariant does not hold.
//
// For invariants of the kernel's own state only. Never assert on anything a user program or
// the hardware can influence: such errors are values (Result<T, Error>).
#pragma once

#include "kernel/panic/panic.h"

#define ASSERT(condition)                                                \
  do {                                                                   \
    if (__builtin_expect(!(condition), 0)) {                             \
      ::hiillos::panic::AssertionFailed(#condition, __FILE__, __LINE__); \
    }                                                                    \
  } while (0)
