// kernel/arch/x86_64/capture_frame.S — CaptureFrame: the caller's registers as an InterruptFrame.
//
// void CaptureFrame(InterruptFrame* out /*rdi*/): stores every GPR as it is at the call (RDI
// holds `out`), RIP = the return address, RSP = the caller's RSP after the return, the current
// RFLAGS/CS/SS, vector = kNoVector (~0) and error code 0. Panic uses it to dump "its" context.
  .text
  .globl CaptureFrame
  .type CaptureFrame, @function
CaptureFrame:
  mov %r15, 0(%rdi)
  mov %r14, 8(%rdi)
  mov %r13, 16(%rdi)
  mov %r12, 24(%rdi)
  mov %r11, 32(%rdi)
  mov %r10, 40(%rdi)
  mov %r9, 48(%rdi)
  mov %r8, 56(%rdi)
  mov %rbp, 64(%rdi)
  mov %rdi, 72(%rdi)
  mov %rsi, 80(%rdi)
  mov %rdx, 88(%rdi)
  mov %rcx, 96(%rdi)
  mov %rbx, 104(%rdi)
  mov %rax, 112(%rdi)
  movq $-1, 120(%rdi)       // vector = kNoVector
  movq $0, 128(%rdi)        // error code
  mov (%rsp), %rax
  mov %rax, 136(%rdi)       // rip = return address
  xor %eax, %eax
  mov %cs, %ax
  mov %rax, 144(%rdi)
  pushfq
  popq 152(%rdi)
  lea 8(%rsp), %rax
  mov %rax, 160(%rdi)       // rsp after returning
  mov %ss, %ax
  mov %rax, 168(%rdi)
  mov 112(%rdi), %rax       // restore RAX (caller-saved anyway, but keep the contract simple)
  ret
  .size CaptureFrame, . - CaptureFrame
  .section .note.GNU-stack, "", @progbits
