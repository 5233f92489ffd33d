// kernel/user/user_copy.cc — user copies: range check, then one REP MOVSB under a fault probe
// inside a STAC/CLAC window, with interrupts off.
#include "kernel/user/user_copy.h"

#include "kernel/arch/x86_64/control_registers.h"
#include "kernel/arch/x86_64/cpu.h"
#include "kernel/arch/x86_64/fault_probe.h"
#include "kernel/arch/x86_64/user_access.h"
#include "kernel/result/kresult.h"
#include "kernel/user/layout.h"

namespace hiillos::user {
namespace {

struct CopyRequest {
  void* destination;
  const void* source;
  size_t size;
};

// Runs under the probe: a fault skips the rest (and the CLAC: the probe restores RFLAGS with
// AC as it was before, i.e. clear).
void CopyBytes(void* argument) {
  auto* request = static_cast<CopyRequest*>(argument);
  void* destination = request->destination;
  const void* source = request->source;
  size_t size = request->size;
  arch::UserAccessBegin();
  asm volatile("rep movsb" : "+D"(destination), "+S"(source), "+c"(size) : : "memory");
  arch::UserAccessEnd();
}

KResult<void> ProbedCopy(void* destination, const void* source, size_t size) {
  if (size == 0) return Ok();
  CopyRequest request{destination, source, size};
  uint64_t flags = arch::ReadRflags();
  arch::DisableInterrupts();
  Result<void, arch::FaultInfo> copied = arch::ProbeCall(CopyBytes, &request);
  if ((flags & arch::kRflagsInterrupt) != 0) arch::EnableInterrupts();
  if (!copied.ok()) return Err(uapi::Status::kBadAddress);
  return Ok();
}

}  // namespace

KResult<void> CopyFromUser(void* kernel_dst, uint64_t user_src, size_t size) {
  if (!IsUserRange(user_src, size)) return Err(uapi::Status::kBadAddress);
  return ProbedCopy(kernel_dst, reinterpret_cast<const void*>(user_src), size);
}

KResult<void> CopyToUser(uint64_t user_dst, const void* kernel_src, size_t size) {
  if (!IsUserRange(user_dst, size)) return Err(uapi::Status::kBadAddress);
  return ProbedCopy(reinterpret_cast<void*>(user_dst), kernel_src, size);
}

}  // namespace hiillos::user
