// kernel/arch/panic_support.h — the architecture interface the panic path uses: capturing the
// current register frame, writing a frame's exception line, registers, where an interrupt found
// the CPU and the symbolised backtrace to a sink, and checking the per-CPU emergency stacks.
//
// From the implementation (kernel/arch/x86_64/{fault_report,gdt}.h): CaptureFrame,
// WriteExceptionLine, WriteRegisters, WriteInterruptedAt, WriteBacktrace, IstCanariesIntact.
#pragma once

#include <stdint.h>

#include "kernel/arch/api_concepts.h"
#include "kernel/arch/trap_frame.h"
#include "kernel/arch/x86_64/fault_report.h"
#include "kernel/arch/x86_64/gdt.h"
#include "lib/format/format.h"

namespace hiillos::arch {

static_assert(requires(format::Sink sink, void* context, InterruptFrame& frame, uint64_t cr2,
                       uint32_t cpu) {
  { CaptureFrame(&frame) } -> SameAs<void>;
  { WriteExceptionLine(sink, context, frame) } -> SameAs<void>;
  { WriteRegisters(sink, context, frame, cr2) } -> SameAs<void>;
  { WriteInterruptedAt(sink, context, frame) } -> SameAs<void>;
  { WriteBacktrace(sink, context, frame) } -> SameAs<void>;
  { IstCanariesIntact(cpu) } -> SameAs<bool>;
});

}  // namespace hiillos::arch
