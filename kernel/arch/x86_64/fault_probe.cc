// kernel/arch/x86_64/fault_probe.cc — fault probes: linking, the read helper, fault recovery.
#include "kernel/arch/x86_64/fault_probe.h"

#include "kernel/arch/x86_64/exception_info.h"
#include "kernel/arch/x86_64/percpu.h"
#include "lib/base/atomic.h"

extern "C" uint64_t ProbeCallAsm(hiillos::arch::FaultProbe* probe, void (*fn)(void*), void* arg);

namespace hiillos::arch {
namespace {

struct ReadRequest {
  uint64_t address;
  uint64_t value;
};

void ReadWord(void* arg) {
  auto* request = static_cast<ReadRequest*>(arg);
  uint64_t value;
  // One load the compiler cannot move or split, so the faulting instruction is this one.
  asm volatile("movq (%1), %0" : "=r"(value) : "r"(request->address) : "memory");
  request->value = value;
}

}  // namespace

bool ProbeAvailable() {
  return CurrentCpuIfReady() != nullptr;
}

Result<void, FaultInfo> ProbeCall(void (*fn)(void*), void* arg) {
  PerCpu* cpu = CurrentCpuIfReady();
  if (cpu == nullptr) return Err{FaultInfo{kNoVector, 0, 0, 0}};
  FaultProbe probe{};
  probe.previous = cpu->probe.Load(MemoryOrder::kRelaxed);
  cpu->probe.Store(&probe, MemoryOrder::kRelaxed);
  asm volatile("" ::: "memory");
  uint64_t faulted = ProbeCallAsm(&probe, fn, arg);
  asm volatile("" ::: "memory");
  cpu->probe.Store(probe.previous, MemoryOrder::kRelaxed);
  if (faulted != 0) return Err{probe.fault};
  return Ok<FaultInfo>();
}

Result<uint64_t, FaultInfo> ProbeRead64(uint64_t address) {
  ReadRequest request{address, 0};
  auto result = ProbeCall(ReadWord, &request);
  if (!result.ok()) return Err{result.error()};
  return request.value;
}

bool RecoverFromFault(InterruptFrame& frame, uint64_t cr2) {
  if (FromUserMode(frame) || frame.vector >= kExceptionCount ||
      ExceptionIsAbortLike(frame.vector)) {
    return false;
  }
  PerCpu* cpu = CurrentCpuIfReady();
  if (cpu == nullptr) return false;
  FaultProbe* probe = cpu->probe.Load(MemoryOrder::kRelaxed);
  if (probe == nullptr) return false;
  probe->fault = FaultInfo{frame.vector, frame.error_code,
                           frame.vector == kVectorPageFault ? cr2 : 0, frame.rip};
  frame.rbx = probe->rbx;
  frame.rbp = probe->rbp;
  frame.r12 = probe->r12;
  frame.r13 = probe->r13;
  frame.r14 = probe->r14;
  frame.r15 = probe->r15;
  frame.rsp = probe->rsp;
  frame.rflags = probe->rflags;
  frame.rip = probe->resume_rip;
  return true;
}

}  // namespace hiillos::arch
