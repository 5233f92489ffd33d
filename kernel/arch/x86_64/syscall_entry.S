// kernel/arch/x86_64/syscall_entry.S — SyscallEntry: the IA32_LSTAR target.
//
// On entry (SDM Vol.2B SYSCALL): RCX = user RIP, R11 = user RFLAGS, RSP = user stack, GS = user
// GS, RFLAGS masked with kSyscallFlagMask (IF = 0). The entry swaps to the kernel GS, parks the
// user RSP in PerCpu::user_rsp_scratch (%gs:16), loads the thread's kernel stack from
// PerCpu::kernel_stack_top (%gs:8) and pushes a complete InterruptFrame (syscall_frame.h):
// SS, RSP, RFLAGS, CS, RIP as the CPU would for an interrupt from ring 3, error code 0, vector
// kSyscallVector (0x100), then the 15 GPRs in interrupt_entry.S's order. The syscall hook (frame)
// runs the call, edits the frame (rax = status, rdx = value) and returns 1 if SYSRETQ may be
// used (PrepareUserReturn), 0 for IRETQ. Both paths restore every GPR from the frame.
  .include "kernel/arch/x86_64/frame_macros.inc"
  .set KERNEL_STACK_TOP, 8
  .set USER_RSP_SCRATCH, 16
  .set USER_CS, 0x2b
  .set USER_SS, 0x23
  .set SYSCALL_VECTOR, 0x100

  .text
  .globl SyscallEntry
  .type SyscallEntry, @function
  .p2align 4
SyscallEntry:
  swapgs                    // unconditional: SYSCALL only comes from ring 3 (no LFENCE needed)
  movq %rsp, %gs:USER_RSP_SCRATCH
  movq %gs:KERNEL_STACK_TOP, %rsp
  pushq $USER_SS
  pushq %gs:USER_RSP_SCRATCH
  pushq %r11                // user RFLAGS
  pushq $USER_CS
  pushq %rcx                // user RIP
  pushq $0                  // error code
  pushq $SYSCALL_VECTOR
  PUSH_GENERAL_REGISTERS
  ENTER_DISPATCH_FRAME      // RDI = InterruptFrame*
  call *hiillos_syscall_dispatch(%rip)  // KernelServices hook; RSP is 16-byte aligned (24 pushes)
  cli                       // whatever the call did: no interrupt until we are in ring 3
  add $16, %rsp
  test %eax, %eax
  jz .Lreturn_with_iret
  POP_GENERAL_REGISTERS     // r11 = user RFLAGS, rcx = user RIP on the SYSRET path
  // RSP -> vector, error code, RIP, CS, RFLAGS, RSP, SS. Interrupts are still off, so nothing
  // runs between the stack switch and SYSRETQ.
  movq 40(%rsp), %rsp
  swapgs
  sysretq
.Lreturn_with_iret:
  POP_GENERAL_REGISTERS
  add $16, %rsp             // vector, error code
  swapgs                    // the frame always returns to ring 3 (PrepareUserReturn)
  .globl UserReturnIretSyscall
UserReturnIretSyscall:      // a fault here is the user's (interrupt_entry.S)
  iretq
  .size SyscallEntry, . - SyscallEntry
  .section .note.GNU-stack, "", @progbits
