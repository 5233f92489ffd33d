// kernel/arch/x86_64/syscall_entry.S — SyscallEntry: the IA32_LSTAR target.
//
// On entry (SDM Vol.2B SYSCALL): RCX = user RIP, R11 = user RFLAGS, RSP = user stack, GS = user
// GS, RFLAGS masked with kSyscallFlagMask (IF = 0). The entry swaps to the kernel GS, parks the
// user RSP in PerCpu::user_rsp_scratch (%gs:16), loads the thread's kernel stack from
// PerCpu::kernel_stack_top (%gs:8) and pushes a complete InterruptFrame (syscall_frame.h):
// SS, RSP, RFLAGS, CS, RIP as the CPU would for an interrupt from ring 3, error code 0, vector
// kSyscallVector (0x100), then the 15 GPRs in interrupt_entry.S's order. It stamps the start and
// end of the call's interrupts-off stretch (irq_off.h) around the hook. The syscall hook (frame)
// runs the call, edits the frame (rax = status, rdx = value) and returns 1 if SYSRETQ may be
// used (PrepareUserReturn), 0 for IRETQ. Both paths restore every GPR from the frame.
  .include "kernel/arch/x86_64/frame_macros.inc"
  .set KERNEL_STACK_TOP, 8
  .set USER_RSP_SCRATCH, 16
  .set USER_CS, 0x2b
  .set USER_SS, 0x23
  .set SYSCALL_VECTOR, 0x100
  // PerCpu and IrqOffCpu layouts (static_asserts in irq_off.cc), the frame's rax slot.
  .set PERCPU_INDEX, 0x20
  .set IRQ_OFF_SINCE, 0x58
  .set IRQ_OFF_WHERE, 0x60
  .set IRQ_OFF_FROM_SYSCALL_BIT, 56
  .set IRQ_OFF_MAX_TICKS, _ZN7hiillos4arch9g_irq_offE
  .set IRQ_OFF_MAX_WHERE, _ZN7hiillos4arch9g_irq_offE + 8
  .set FRAME_RAX, 112

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
  // An interrupts-off stretch starts (irq_off.h: IrqOffStretchBegin(kIrqOffFromSyscall |
  // number)), stamped here rather than in a wrapper around the hook: every call pays for it.
  rdtsc                     // rax and rdx are saved in the frame
  shl $32, %rdx
  or %rdx, %rax
  movq %rax, %gs:IRQ_OFF_SINCE
  movzwl FRAME_RAX(%rsp), %eax  // the syscall number's low 16 bits
  bts $IRQ_OFF_FROM_SYSCALL_BIT, %rax
  movq %rax, %gs:IRQ_OFF_WHERE
  ENTER_DISPATCH_FRAME      // RDI = InterruptFrame*
  call *hiillos_syscall_dispatch(%rip)  // KernelServices hook; RSP is 16-byte aligned (24 pushes)
  cli                       // whatever the call did: no interrupt until we are in ring 3
  add $16, %rsp
  // The stretch ends with the return to ring 3 (IrqOffStretchEnd): ticks since the stamp (none
  // if a preemption window closed it and nothing reopened it), kept if they are this CPU's
  // longest. Only rsi/rcx/rdx are used: every register is restored from the frame below.
  movl %eax, %esi           // the hook's answer: 1 = SYSRETQ
  movq %gs:IRQ_OFF_SINCE, %rcx
  testq %rcx, %rcx
  jz 1f
  rdtsc
  shl $32, %rdx
  or %rdx, %rax
  subq %rcx, %rax
  movq $0, %gs:IRQ_OFF_SINCE
  movl %gs:PERCPU_INDEX, %ecx
  leaq (%rcx,%rcx,2), %rcx  // g_irq_off[index]: 24 bytes each
  cmpq IRQ_OFF_MAX_TICKS(,%rcx,8), %rax
  jbe 1f
  movq %rax, IRQ_OFF_MAX_TICKS(,%rcx,8)
  movq %gs:IRQ_OFF_WHERE, %rdx
  movq %rdx, IRQ_OFF_MAX_WHERE(,%rcx,8)
1:
  testl %esi, %esi
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
