// kernel/arch/x86_64/user_fault.cc — the user-fault hook (user_fault.h).
#include "kernel/arch/x86_64/user_fault.h"

#include "kernel/arch/x86_64/exception_info.h"
#include "lib/base/atomic.h"

namespace hiillos::arch {
namespace {

Atomic<UserFaultHandler> g_handler;

}  // namespace

void SetUserFaultHandler(UserFaultHandler handler) {
  g_handler.Store(handler, MemoryOrder::kRelease);
}

bool DispatchUserFault(InterruptFrame& frame, uint64_t cr2) {
  if (!FromUserMode(frame) || frame.vector >= kExceptionCount) return false;
  if (ExceptionIsAbortLike(frame.vector)) return false;  // NMI, #DF, #MC
  UserFaultHandler handler = g_handler.Load(MemoryOrder::kAcquire);
  return handler != nullptr && handler(frame, frame.vector, cr2);
}

}  // namespace hiillos::arch
