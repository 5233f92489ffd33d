// kernel/arch/x86_64/user_copy.h — copying bytes between kernel and user memory under a fault
// probe inside a STAC/CLAC window, for the arch::UserCopy interface (kernel/arch/user_copy.h).
#pragma once

#include <stddef.h>

namespace hiillos::arch::x86_64 {

struct UserCopy {
  // One REP MOVSB with interrupts off; false if it faulted (nothing after the fault is copied).
  static bool CopyBytes(void* destination, const void* source, size_t size);
};

}  // namespace hiillos::arch::x86_64
