// kernel/arch/x86_64/user_entry_return.S — UserEntryReturn: the last step into ring 3.
//
// void UserEntryReturn(InterruptFrame* frame /* rdi */): the frame has the layout of
// interrupt_frame.h (GPRs, vector, error code, then the IRETQ frame) and lies at the top of the
// thread's kernel stack. Interrupts are off. SWAPGS puts the kernel's GS base into
// IA32_KERNEL_GS_BASE and the user's (prepared by the caller) into IA32_GS_BASE.

  .text
  .globl UserEntryReturn
  .type UserEntryReturn, @function
  .p2align 4
UserEntryReturn:
  movq %rdi, %rsp
  popq %r15
  popq %r14
  popq %r13
  popq %r12
  popq %r11
  popq %r10
  popq %r9
  popq %r8
  popq %rbp
  popq %rdi
  popq %rsi
  popq %rdx
  popq %rcx
  popq %rbx
  popq %rax
  addq $16, %rsp            // vector, error code
  swapgs
  .globl UserReturnIretEntry
UserReturnIretEntry:        // a fault here is the user's (interrupt_entry.S)
  iretq
  .size UserEntryReturn, . - UserEntryReturn
  .section .note.GNU-stack, "", @progbits
