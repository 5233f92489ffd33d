// kernel/arch/x86_64/fault_probe.h — run kernel code that may fault and get the fault back.
//
// Like Linux' exception tables, but dynamic (a setjmp-style record per CPU): ProbeCall saves
// the callee-saved registers, RSP and RFLAGS in a FaultProbe, links it into the CPU's PerCpu
// and calls the function. If any exception other than NMI/#DF/#MC hits ring 0 while the probe
// is innermost, the exception handler records vector/error code/CR2/RIP, rewrites the
// interrupt frame to resume at the probe's landing pad with the saved registers, and ProbeCall
// returns the FaultInfo instead of the kernel panicking.
//
// Rules for probed code: it runs on the calling CPU with interrupts as they are; it must not
// take locks or otherwise leave state behind if it is cut short (the rest of the function is
// skipped, no destructors run; RFLAGS, including IF and AC, is restored to its value at entry).
// Probes nest. Used by the panic backtrace (reading frames safely) and by in-kernel fault tests;
// user-copy helpers will use the same mechanism.
#pragma once

#include <stdint.h>

#include "kernel/arch/x86_64/interrupt_frame.h"
#include "lib/base/result.h"
#include "lib/base/utility.h"

namespace hiillos::arch {

struct FaultInfo {
  uint64_t vector;      // exception vector; kNoVector if probing is unavailable (no PerCpu)
  uint64_t error_code;  // as pushed by the CPU (0 if none)
  uint64_t cr2;         // faulting linear address for #PF, 0 otherwise
  uint64_t rip;         // the faulting instruction
};

// One active probe; layout shared with fault_probe.S.
struct FaultProbe {
  uint64_t rbx, rbp, r12, r13, r14, r15;  // callee-saved registers at ProbeCall
  uint64_t rsp;                           // RSP inside ProbeCallAsm after its prologue
  uint64_t rflags;
  uint64_t resume_rip;  // the landing pad in ProbeCallAsm
  FaultProbe* previous;
  FaultInfo fault;
};

// Runs fn(arg); returns the fault if it raised an exception (see above).
Result<void, FaultInfo> ProbeCall(void (*fn)(void*), void* arg);

// Convenience: runs a callable under a probe.
template <typename F>
Result<void, FaultInfo> Probe(F&& f) {
  using Callable = RemoveReferenceT<F>;
  return ProbeCall([](void* callable) { (*static_cast<Callable*>(callable))(); }, &f);
}

// Reads the 8 bytes at `address` (any alignment) or returns the fault.
Result<uint64_t, FaultInfo> ProbeRead64(uint64_t address);

// True once this CPU has per-CPU data (probes work).
bool ProbeAvailable();

// For the exception handler: if the innermost probe of this CPU can take this ring-0 fault,
// records it and rewrites `frame` to resume at the probe's landing pad. False otherwise.
bool RecoverFromFault(InterruptFrame& frame, uint64_t cr2);

}  // namespace hiillos::arch
