// kernel/arch/x86_64/context_switch.S — ContextSwitch and ThreadTrampoline (context_switch.h).

  .text
  .globl ContextSwitch
  .type ContextSwitch, @function
  .p2align 4
// void ContextSwitch(uint64_t* save_rsp /* rdi */, uint64_t load_rsp /* rsi */)
ContextSwitch:
  pushq %rbp
  pushq %rbx
  pushq %r12
  pushq %r13
  pushq %r14
  pushq %r15
  movq %rsp, (%rdi)
  movq %rsi, %rsp
  popq %r15
  popq %r14
  popq %r13
  popq %r12
  popq %rbx
  popq %rbp
  ret
  .size ContextSwitch, . - ContextSwitch

  .globl ThreadTrampoline
  .type ThreadTrampoline, @function
  .p2align 4
ThreadTrampoline:
  xorl %ebp, %ebp           // end of the frame-pointer chain for backtraces
  andq $-16, %rsp
  call *hiillos_thread_first_run(%rip)  // KernelServices hook; never returns
  ud2
  .size ThreadTrampoline, . - ThreadTrampoline
  .section .note.GNU-stack, "", @progbits
