// kernel/arch/x86_64/fault_probe_entry.S — ProbeCallAsm: the setjmp half of the fault probe.
//
// uint64_t ProbeCallAsm(FaultProbe* probe /*rdi*/, void (*fn)(void*) /*rsi*/, void* arg /*rdx*/)
// Saves callee-saved registers, RSP, RFLAGS and the landing pad address in *probe, calls
// fn(arg) and returns 0. When RecoverFromFault (fault_probe.cc) takes a fault it sets the
// interrupt frame to RIP = landing pad, RSP = probe->rsp and the saved registers, so IRETQ
// lands at 1: below, which returns 1. Offsets match struct FaultProbe.
  .text
  .globl ProbeCallAsm
  .type ProbeCallAsm, @function
ProbeCallAsm:
  push %rbp
  mov %rsp, %rbp
  mov %rbx, 0(%rdi)
  mov %rbp, 8(%rdi)
  mov %r12, 16(%rdi)
  mov %r13, 24(%rdi)
  mov %r14, 32(%rdi)
  mov %r15, 40(%rdi)
  mov %rsp, 48(%rdi)
  pushfq
  popq 56(%rdi)
  lea 1f(%rip), %rax
  mov %rax, 64(%rdi)
  mov %rdx, %rdi
  call *%rsi              // RSP is 16-byte aligned here (return address + saved RBP)
  xor %eax, %eax
  pop %rbp
  ret
1:
  mov $1, %eax
  pop %rbp
  ret
  .size ProbeCallAsm, . - ProbeCallAsm
  .section .note.GNU-stack, "", @progbits
