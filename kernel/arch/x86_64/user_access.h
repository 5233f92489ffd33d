// kernel/arch/x86_64/user_access.h — opening a window for kernel accesses to user pages (SMAP).
//
// With CR4.SMAP set, ring-0 data accesses to user pages fault unless RFLAGS.AC = 1 (SDM Vol.3A
// §4.6.1). STAC/CLAC set and clear AC; they are #UD on CPUs without SMAP, hence the flag check.
// Only the user-copy helpers (which run under a fault probe) may open a window; keep it short,
// never call out of it, and never leave it open (interrupt entry does not clear AC for you:
// InterruptDispatch does).
#pragma once

#include "kernel/arch/x86_64/cpu_features.h"

namespace hiillos::arch {

inline void UserAccessBegin() {
  if (internal::g_smap_enabled) asm volatile("stac" ::: "memory", "cc");
}

inline void UserAccessEnd() {
  if (internal::g_smap_enabled) asm volatile("clac" ::: "memory", "cc");
}

// RAII: user pages are accessible while the guard lives.
class UserAccessGuard {
 public:
  UserAccessGuard() { UserAccessBegin(); }
  ~UserAccessGuard() { UserAccessEnd(); }
  UserAccessGuard(const UserAccessGuard&) = delete;
  UserAccessGuard& operator=(const UserAccessGuard&) = delete;
};

}  // namespace hiillos::arch
