// kernel/arch/x86_64/user_copy.cc — user copies: one REP MOVSB under a fault probe inside a
// STAC/CLAC window, with interrupts off.
#include "kernel/arch/x86_64/user_copy.h"

#include <stdint.h>

#include "kernel/arch/interrupts.h"
#include "kernel/arch/x86_64/fault_probe.h"
#include "kernel/arch/x86_64/user_access.h"

namespace hiillos::arch::x86_64 {
namespace {

struct CopyRequest {
  void* destination;
  const void* source;
  size_t size;
};

// Runs under the probe: a fault skips the rest (and the CLAC: the probe restores RFLAGS with
// AC as it was before, i.e. clear).
void CopyUnderProbe(void* argument) {
  auto* request = static_cast<CopyRequest*>(argument);
  void* destination = request->destination;
  const void* source = request->source;
  size_t size = request->size;
  UserAccessBegin();
  asm volatile("rep movsb" : "+D"(destination), "+S"(source), "+c"(size) : : "memory");
  UserAccessEnd();
}

}  // namespace

bool UserCopy::CopyBytes(void* destination, const void* source, size_t size) {
  if (size == 0) return true;
  CopyRequest request{destination, source, size};
  InterruptGuard interrupts_off;
  return ProbeCall(CopyUnderProbe, &request).ok();
}

}  // namespace hiillos::arch::x86_64
