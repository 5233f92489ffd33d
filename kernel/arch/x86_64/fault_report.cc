// kernel/arch/x86_64/fault_report.cc — formats register dumps and symbolised backtraces.
#include "kernel/arch/x86_64/fault_report.h"

#include "kernel/arch/x86_64/exception_info.h"
#include "kernel/arch/x86_64/fault_probe.h"
#include "kernel/arch/x86_64/kernel_services.h"
#include "kernel/arch/x86_64/mmu.h"
#include "kernel/arch/x86_64/stack_walk.h"
#include "lib/x86/control_registers.h"

// kernel.ld: the kernel's code.
extern "C" const char __text_start[];
extern "C" const char __text_end[];

namespace hiillos::arch {
namespace {

constexpr uint64_t kKernelHalf = 0xffff'8000'0000'0000ull;
constexpr uint64_t kMaxFrameSize = 64 * 1024;
constexpr uint32_t kMaxStackSwitches = 2;
// Without per-CPU data (no probes) only words this close above the starting RSP are read.
constexpr uint64_t kUnprobedWindow = 16 * 1024;

struct ReadContext {
  bool probe;
  uint64_t window_start;
  uint64_t window_end;
};

bool ReadStackWord(void* raw_context, uint64_t address, uint64_t* value) {
  auto* context = static_cast<ReadContext*>(raw_context);
  if (context->probe) {
    auto word = ProbeRead64(address);
    if (!word.ok()) return false;
    *value = word.value();
    return true;
  }
  if (address < context->window_start || address + 8 > context->window_end) return false;
  *value = *reinterpret_cast<const volatile uint64_t*>(address);
  return true;
}

}  // namespace

void WriteExceptionLine(format::Sink sink, void* context, const InterruptFrame& frame) {
  char detail[64];
  DescribeErrorCode(frame.vector, frame.error_code, detail, sizeof(detail));
  format::Format(sink, context, "%s %s (vector %lu)", ExceptionMnemonic(frame.vector),
                 ExceptionName(frame.vector), frame.vector);
  if (ExceptionHasErrorCode(frame.vector)) {
    format::Format(sink, context, ", error code %#lx", frame.error_code);
    if (detail[0] != '\0') format::Format(sink, context, ": %s", detail);
  }
  format::Format(sink, context, "%s\n", FromUserMode(frame) ? " in user mode" : "");
}

void WriteSymbol(format::Sink sink, void* context, uint64_t address, bool return_address) {
  auto hit = kernel_services::LookupSymbol(return_address ? address - 1 : address);
  if (!hit.ok()) {
    format::Format(sink, context, "?");
    return;
  }
  format::Format(sink, context, "%s+%#lx", hit.value().name, address - hit.value().address);
}

void WriteRegisters(format::Sink sink, void* context, const InterruptFrame& f, uint64_t cr2) {
  if (f.vector == kVectorPageFault) format::Format(sink, context, "cr2 %#018lx\n", cr2);
  format::Format(sink, context, "rip %#018lx ", f.rip);
  WriteSymbol(sink, context, f.rip, false);
  format::Format(sink, context, "\nrsp %#018lx  rflags %#018lx  cs %#lx  ss %#lx\n", f.rsp,
                 f.rflags, f.cs, f.ss);
  format::Format(sink, context, "rax %#018lx  rbx %#018lx  rcx %#018lx\n", f.rax, f.rbx, f.rcx);
  format::Format(sink, context, "rdx %#018lx  rsi %#018lx  rdi %#018lx\n", f.rdx, f.rsi, f.rdi);
  format::Format(sink, context, "rbp %#018lx  r8  %#018lx  r9  %#018lx\n", f.rbp, f.r8, f.r9);
  format::Format(sink, context, "r10 %#018lx  r11 %#018lx  r12 %#018lx\n", f.r10, f.r11, f.r12);
  format::Format(sink, context, "r13 %#018lx  r14 %#018lx  r15 %#018lx\n", f.r13, f.r14, f.r15);
  format::Format(sink, context, "cr0 %#018lx  cr3 %#018lx  cr4 %#018lx\n", x86::ReadCr0(),
                 ReadCr3(), x86::ReadCr4());
}

void WriteInterruptedAt(format::Sink sink, void* context, const InterruptFrame& frame) {
  const bool user = FromUserMode(frame);
  format::Format(sink, context, "interrupted at %#018lx ", frame.rip);
  if (user) {
    format::Format(sink, context, "(user)");
  } else {
    WriteSymbol(sink, context, frame.rip, false);
    format::Format(sink, context, " (kernel)");
  }
  format::Format(sink, context, ", IF %s",
                 (frame.rflags & x86::kRflagsInterrupt) != 0 ? "on" : "off");
}

size_t CollectBacktrace(uint64_t rip, uint64_t rbp, uint64_t rsp, uint64_t* out, size_t max) {
  if (max == 0) return 0;
  out[0] = rip;
  ReadContext read_context{ProbeAvailable(), rsp, rsp + kUnprobedWindow};
  if (read_context.window_end < rsp) read_context.window_end = ~0ull;
  StackWalkLimits limits{reinterpret_cast<uint64_t>(__text_start),
                         reinterpret_cast<uint64_t>(__text_end), kKernelHalf, kMaxFrameSize,
                         kMaxStackSwitches};
  return 1 + WalkFramePointers(rbp, limits, ReadStackWord, &read_context, out + 1, max - 1);
}

void WriteBacktrace(format::Sink sink, void* context, const InterruptFrame& frame) {
  uint64_t pcs[kMaxBacktraceDepth];
  size_t count = CollectBacktrace(frame.rip, frame.rbp, frame.rsp, pcs, kMaxBacktraceDepth);
  format::Format(sink, context, "backtrace:\n");
  for (size_t i = 0; i < count; ++i) {
    format::Format(sink, context, "  #%zu %#018lx ", i, pcs[i]);
    WriteSymbol(sink, context, pcs[i], i > 0);
    format::Format(sink, context, "\n");
  }
  if (count == kMaxBacktraceDepth) format::Format(sink, context, "  ... (truncated)\n");
}

}  // namespace hiillos::arch
