// kernel/arch/x86_64/interrupt_dispatch.cc — InterruptDispatch: exceptions and registered vectors.
//
// Called by InterruptCommon and ParanoidCommon (interrupt_entry.S) with interrupts off, GS
// holding this CPU's PerCpu. Exceptions (0-31): ring-3 ones go to the user-fault hook
// (user_fault.h), and so do faults of the IRETQs that return to ring 3 (the frame they refused
// is the user's doing); a fault probe may take a ring-0 fault (fault_probe.h); NMIs during a
// panic report where they found this CPU and halt (the kernel's halt_if_panicking service),
// NMIs a test expects (PerCpu::expected_nmis) are ignored; everything else is a panic with the
// full dump.
// Vectors 32-255 go to the handler table (idt.h); an unregistered vector is logged once and
// otherwise ignored (no EOI is sent for it).
#include "kernel/arch/x86_64/exception_info.h"
#include "kernel/arch/x86_64/fault_probe.h"
#include "kernel/arch/x86_64/gdt.h"
#include "kernel/arch/x86_64/idle_time.h"
#include "kernel/arch/x86_64/idt.h"
#include "kernel/arch/x86_64/interrupt_frame.h"
#include "kernel/arch/x86_64/irq_off.h"
#include "kernel/arch/x86_64/kernel_services.h"
#include "kernel/arch/x86_64/percpu.h"
#include "kernel/arch/x86_64/serial.h"
#include "kernel/arch/x86_64/user_access.h"
#include "kernel/arch/x86_64/user_fault.h"
#include "lib/base/atomic.h"
#include "lib/x86/control_registers.h"
#include "lib/x86/cpu.h"

// The IRETQ instructions that return to ring 3 (interrupt_entry.S, syscall_entry.S,
// user_entry_return.S): labels, not functions.
extern "C" char UserReturnIretCommon, UserReturnIretSyscall, UserReturnIretEntry;

namespace hiillos::arch {
namespace {

// While a handler runs on an IST stack, the TSS points the next entry on that stack
// kIstStackSize / kIstNestingLevels lower, so a nested exception of the same kind (a probed #PF
// inside the #PF handler's panic dump) does not overwrite this frame (see gdt.h).
class IstNesting {
 public:
  IstNesting(PerCpu* cpu, uint8_t ist) : cpu_(cpu), ist_(ist) {
    if (cpu_ == nullptr || ist_ == 0) return;
    uint32_t depth = ++cpu_->ist_depth[ist_ - 1];
    if (depth > kIstNestingLevels) {
      // This frame overwrote the one below it: nothing can be trusted or resumed.
      static const char kMessage[] = "\n*** IST stack nested too deep: halting ***\n";
      SerialWrite(kMessage, sizeof(kMessage) - 1);
      x86::HaltForever();
    }
    cpu_->tss->ist[ist_ - 1] -= kIstStackSize / kIstNestingLevels;
  }
  ~IstNesting() {
    if (cpu_ == nullptr || ist_ == 0) return;
    cpu_->tss->ist[ist_ - 1] += kIstStackSize / kIstNestingLevels;
    --cpu_->ist_depth[ist_ - 1];
    if (!IstCanariesIntact(cpu_->index))
      kernel_services::Panic("IST stack %u of cpu%u overflowed", ist_, cpu_->index);
  }
  IstNesting(const IstNesting&) = delete;
  IstNesting& operator=(const IstNesting&) = delete;

 private:
  PerCpu* cpu_;
  uint8_t ist_;
};

// An NMI this CPU sent itself on purpose (PerCpu::expected_nmis).
bool TakeExpectedNmi(PerCpu& cpu) {
  uint32_t expected = cpu.expected_nmis.Load(MemoryOrder::kRelaxed);
  if (expected == 0) return false;
  cpu.expected_nmis.Store(expected - 1, MemoryOrder::kRelaxed);  // only this CPU writes it
  return true;
}

// True if `rip` is one of the IRETQs that return to ring 3 (interrupt_entry.S).
bool IsUserReturnIret(uint64_t rip) {
  return rip == reinterpret_cast<uint64_t>(&UserReturnIretCommon) ||
         rip == reinterpret_cast<uint64_t>(&UserReturnIretSyscall) ||
         rip == reinterpret_cast<uint64_t>(&UserReturnIretEntry);
}

// An IRETQ to ring 3 refused its frame (#GP, #SS or #NP raised in ring 0 at the instruction;
// the entry already swapped GS back). Every GPR in `frame` holds the user's value (they were
// restored just before the IRETQ) and the frame IRETQ was using lies at the interrupted RSP: make
// `frame` say that the user thread faulted at the RIP it was returning to, so the user-fault
// path kills it (ExitReason::kFaulted) instead of the kernel panicking.
void TurnIretFaultIntoUserFault(InterruptFrame& frame) {
  const auto* iret = reinterpret_cast<const uint64_t*>(frame.rsp);
  frame.rip = iret[0];
  frame.cs = iret[1];
  frame.rflags = iret[2];
  frame.rsp = iret[3];
  frame.ss = iret[4];
}

void HandleException(InterruptFrame& frame) {
  uint64_t cr2 = frame.vector == kVectorPageFault ? x86::ReadCr2() : 0;
  if (!FromUserMode(frame) && IsUserReturnIret(frame.rip) &&
      (frame.vector == kVectorGeneralProtection || frame.vector == kVectorStackFault ||
       frame.vector == kVectorSegmentNotPresent)) {
    TurnIretFaultIntoUserFault(frame);
  }
  PerCpu* cpu = CurrentCpuIfReady();
  IstNesting nesting(cpu, IstFor(frame.vector));
  if (frame.vector == kVectorNmi) {
    kernel_services::HaltIfPanicking(frame);
    if (cpu != nullptr && TakeExpectedNmi(*cpu)) return;
  }
  // Ring 3 raised it: the scheduler ends the thread instead of the kernel panicking.
  if (DispatchUserFault(frame, cr2)) return;
  if (RecoverFromFault(frame, cr2)) return;
  kernel_services::FatalException(frame, cr2);
}

Atomic<uint32_t> g_unexpected_count[kVectorCount];

void HandleUnexpected(const InterruptFrame& frame) {
  uint32_t seen = g_unexpected_count[frame.vector].FetchAdd(1, MemoryOrder::kRelaxed);
  if (seen == 0) {
    kernel_services::Log("irq",
                         "unexpected interrupt vector %lu (no handler; further ones not logged)",
                         frame.vector);
  }
}

}  // namespace
}  // namespace hiillos::arch

extern "C" void InterruptDispatch(hiillos::arch::InterruptFrame* frame) {
  using namespace hiillos::arch;
  // The interrupted code may have been inside a user-access window (RFLAGS.AC = 1); the handler
  // must not inherit it. IRETQ restores the interrupted RFLAGS.
  UserAccessEnd();
  if (frame->vector < kExceptionCount) {
    HandleException(*frame);
    return;
  }
  // External interrupts and IPIs: an interrupts-off stretch starts here if the interrupted
  // context had them on, and ends on the way back to it (irq_off.h). The handler may switch
  // threads; the depth is per thread context (the scheduler saves it across switches).
  const bool from_interrupts_on = (frame->rflags & hiillos::x86::kRflagsInterrupt) != 0;
  // It woke the CPU from the idle loop's HLT: the wait ends here, the handler is busy time.
  if (from_interrupts_on) IdleWakeStamp();
  if (from_interrupts_on) IrqOffStretchBegin(kIrqOffFromInterrupt | frame->vector);
  ++ThisCpuIrqOff().interrupt_depth;
  InterruptHandler handler = GetInterruptHandler(static_cast<uint8_t>(frame->vector));
  if (handler != nullptr) {
    handler(*frame);
  } else {
    HandleUnexpected(*frame);
  }
  --ThisCpuIrqOff().interrupt_depth;
  if (from_interrupts_on) IrqOffStretchEnd();
}
