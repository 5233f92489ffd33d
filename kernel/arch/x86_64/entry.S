// kernel/arch/x86_64/entry.S — first kernel instruction: the loader jumps here (boot-protocol.md)
// with %rdi = BootInfo (HHDM address), %rsp = top of a 64 KiB boot stack, interrupts off.
  .section .text.entry, "ax"
  .globl KernelEntry
  .type KernelEntry, @function
KernelEntry:
  cli
  xor %ebp, %ebp          // terminate frame-pointer backtraces here
  and $-16, %rsp          // SysV ABI: 16-byte aligned stack at the call
  call KernelMain         // [[noreturn]]
1:
  hlt
  jmp 1b
  .size KernelEntry, . - KernelEntry
  .section .note.GNU-stack, "", @progbits
