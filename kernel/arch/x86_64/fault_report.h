// kernel/arch/x86_64/fault_report.h — the register dump and symbolised backtrace of a panic.
//
// Writes to any format::Sink (the panic path passes the raw serial port; tests a buffer).
// Reads memory only through fault probes (stack words) and the embedded symbol table.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "kernel/arch/x86_64/interrupt_frame.h"
#include "lib/format/format.h"

// Fills `out` with the caller's registers (RIP/RSP/RBP of the call site), vector kNoVector
// (capture_frame.S).
extern "C" void CaptureFrame(hiillos::arch::InterruptFrame* out);

namespace hiillos::arch {

inline constexpr size_t kMaxBacktraceDepth = 32;

// "#PF page fault (vector 14), error code 0x2: not-present write kernel" for an exception frame.
void WriteExceptionLine(format::Sink sink, void* context, const InterruptFrame& frame);

// CR2 (exceptions only), RIP with its symbol, RSP/RFLAGS/CS/SS, the 15 GPRs and CR0/CR3/CR4.
void WriteRegisters(format::Sink sink, void* context, const InterruptFrame& frame, uint64_t cr2);

// "backtrace:" and one line per frame: `  #1 0xffffffff80001234 KernelMain+0x34`. Frame #0 is
// frame.rip; the rest come from the RBP chain starting at frame.rbp.
void WriteBacktrace(format::Sink sink, void* context, const InterruptFrame& frame);

// "interrupted at 0xffffffff80001234 Name+0x12 (kernel), IF off" (no newline): where an
// interrupt (the panic's report NMI) found the CPU. A user-mode RIP gets no symbol.
void WriteInterruptedAt(format::Sink sink, void* context, const InterruptFrame& frame);

// The addresses WriteBacktrace prints: out[0] = rip, then return addresses. Returns the count.
size_t CollectBacktrace(uint64_t rip, uint64_t rbp, uint64_t rsp, uint64_t* out, size_t max);

// "Name+0x12" for `address` ("?" if unknown). For return addresses the symbol is looked up at
// address - 1 (a call at the very end of a function returns past it), the offset stays exact.
void WriteSymbol(format::Sink sink, void* context, uint64_t address, bool return_address);

}  // namespace hiillos::arch
