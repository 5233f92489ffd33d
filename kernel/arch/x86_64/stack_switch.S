// kernel/arch/x86_64/stack_switch.S — SwitchStackAndCall(stack_top, fn, arg): moves to a new
// stack and calls fn(arg), which must not return (the old stack may be freed meanwhile).
  .text
  .globl SwitchStackAndCall
  .type SwitchStackAndCall, @function
SwitchStackAndCall:
  mov %rdi, %rsp
  and $-16, %rsp
  xor %ebp, %ebp      // backtraces stop here
  mov %rdx, %rdi
  call *%rsi
1:
  cli
  hlt
  jmp 1b
  .size SwitchStackAndCall, . - SwitchStackAndCall
  .section .note.GNU-stack, "", @progbits
