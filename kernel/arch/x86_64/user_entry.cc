// kernel/arch/x86_64/user_entry.cc — building the IRETQ frame for ring 3, and redirecting a
// ring-3 interrupt frame into the kernel (user_entry.h).
#include "kernel/arch/x86_64/user_entry.h"

#include "kernel/arch/x86_64/irq_off.h"
#include "kernel/arch/x86_64/percpu.h"
#include "kernel/arch/x86_64/segments.h"
#include "lib/x86/cpu.h"
#include "lib/x86/msr.h"

// user_entry_return.S: loads the GPRs of `frame`, skips vector/error code, SWAPGS, IRETQ.
extern "C" [[noreturn]] void UserEntryReturn(hiillos::arch::InterruptFrame* frame);

namespace hiillos::arch {

void EnterUserMode(const uapi::ThreadRegs& regs, uint64_t kernel_stack_top) {
  x86::DisableInterrupts();
  auto* frame = reinterpret_cast<InterruptFrame*>(kernel_stack_top - sizeof(InterruptFrame));
  frame->rax = regs.rax;
  frame->rbx = regs.rbx;
  frame->rcx = regs.rcx;
  frame->rdx = regs.rdx;
  frame->rsi = regs.rsi;
  frame->rdi = regs.rdi;
  frame->rbp = regs.rbp;
  frame->r8 = regs.r8;
  frame->r9 = regs.r9;
  frame->r10 = regs.r10;
  frame->r11 = regs.r11;
  frame->r12 = regs.r12;
  frame->r13 = regs.r13;
  frame->r14 = regs.r14;
  frame->r15 = regs.r15;
  frame->vector = 0;
  frame->error_code = 0;
  frame->rip = regs.rip;
  frame->cs = kUserCodeSelector;
  frame->rflags = SanitizeUserRflags(regs.rflags);
  frame->rsp = regs.rsp;
  frame->ss = kUserDataSelector;
  if (CurrentCpu()->refuse_next_user_entry.Exchange(false, MemoryOrder::kAcquire)) {
    frame->cs = kKernelCodeSelector | 3;  // tests only: IRETQ refuses it (#GP in ring 0)
  }
  x86::WriteMsr(x86::kMsrFsBase, regs.fs_base);
  x86::WriteMsr(x86::kMsrKernelGsBase, regs.gs_base);  // becomes the GS base at the SWAPGS
  // Ring 3 runs with interrupts on: the interrupts-off stretch ends here (irq_off.h).
  IrqOffStretchEnd();
  UserEntryReturn(frame);
}

void UserRegsFromSavedFrame(const InterruptFrame& frame, uapi::ThreadRegs* out) {
  out->rax = frame.rax;
  out->rbx = frame.rbx;
  out->rcx = frame.rcx;
  out->rdx = frame.rdx;
  out->rsi = frame.rsi;
  out->rdi = frame.rdi;
  out->rbp = frame.rbp;
  out->rsp = frame.rsp;
  out->r8 = frame.r8;
  out->r9 = frame.r9;
  out->r10 = frame.r10;
  out->r11 = frame.r11;
  out->r12 = frame.r12;
  out->r13 = frame.r13;
  out->r14 = frame.r14;
  out->r15 = frame.r15;
  out->rip = frame.rip;
  out->rflags = frame.rflags;
}

void UserRegsFromFrame(const InterruptFrame& frame, uapi::ThreadRegs* out) {
  UserRegsFromSavedFrame(frame, out);
  out->fs_base = x86::ReadMsr(x86::kMsrFsBase);
  out->gs_base = x86::ReadMsr(x86::kMsrKernelGsBase);  // the user's GS while the kernel runs
}

void RedirectToKernel(InterruptFrame& frame, void (*function)(), uint64_t stack_top) {
  frame.rip = reinterpret_cast<uint64_t>(function);
  frame.cs = kKernelCodeSelector;
  frame.ss = kKernelDataSelector;
  frame.rsp = (stack_top & ~0xfull) - 8;
  frame.rflags = 0x2;  // interrupts off
  frame.rbp = 0;       // ends backtraces here
}

}  // namespace hiillos::arch
