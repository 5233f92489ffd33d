// kernel/arch/x86_64/user_fault.cc — the user-fault hook (user_fault.h).
#include "kernel/arch/x86_64/user_fault.h"

#include "kernel/arch/x86_64/exception_info.h"

namespace hiillos::arch {
namespace {

UserFaultHandler g_handler;

}  // namespace

void SetUserFaultHandler(UserFaultHandler handler) {
  __atomic_store_n(&g_handler, handler, __ATOMIC_RELEASE);
}

bool DispatchUserFault(InterruptFrame& frame, uint64_t cr2) {
  if (!FromUserMode(frame) || frame.vector >= kExceptionCount) return false;
  if (ExceptionIsAbortLike(frame.vector)) return false;  // NMI, #DF, #MC
  UserFaultHandler handler = __atomic_load_n(&g_handler, __ATOMIC_ACQUIRE);
  return handler != nullptr && handler(frame, frame.vector, cr2);
}

}  // namespace hiillos::arch
