// kernel/arch/x86_64/interrupt_entry.S — the 256 IDT entry stubs, the common save/restore path
// and the "paranoid" path of NMI, #DF and #MC.
//
// Each stub pushes a 0 error code (unless the CPU pushed one: vectors 8, 10-14, 17, 21, 29, 30;
// SDM Vol.3A Table 6-1) and its vector, then jumps to InterruptCommon, which saves every GPR in
// the InterruptFrame layout (interrupt_frame.h), calls InterruptDispatch(frame) and restores the
// (possibly edited) frame. SWAPGS runs when the interrupted code was in ring 3 (CS.RPL != 0), so
// kernel code always has its PerCpu in GS (percpu.h). Every conditional SWAPGS is followed by an
// LFENCE on both paths, so no load through GS runs speculatively with the wrong base (the
// "SWAPGS" Spectre-v1 variant, CVE-2019-1125).
//
// IRETQ faults on the way to ring 3: the user-return IRETQs (UserReturnIret* below, in
// syscall_entry.S and user_entry_return.S) run after SWAPGS, so a #GP/#SS/#NP they raise (a frame
// the CPU refuses, e.g. a non-canonical RIP on hardware that checks it there) enters here from
// ring 0 with the user's GS. The entry recognises those RIPs and swaps back; the dispatcher
// turns the fault into the user thread's own (interrupt_dispatch.cc), which kills it.
//
// NMI, #DF and #MC (ParanoidCommon) can arrive anywhere in ring 0, including between a SWAPGS
// and the IRETQ/SYSRETQ after it, or before the SWAPGS of the SYSCALL entry; and with FSGSBASE
// user code can put any value, a kernel address included, into its GS base. So from ring 0
// they trust nothing in GS: they find this CPU's PerCpu from the IST stack the CPU switched to
// (each CPU's IST stacks are its own, ParanoidKernelGsBase in gdt.cc), save IA32_GS_BASE, load
// the PerCpu and put the saved value back on exit. #DF always goes that way (its saved CS/RIP
// are undefined); NMI/#MC from ring 3 take the ordinary path (GS is the user's for certain).
  .include "kernel/arch/x86_64/frame_macros.inc"

  .altmacro
  .macro INTERRUPT_STUB vector
  .p2align 4
.Linterrupt_stub_\vector:
  .if (\vector == 8) || ((\vector >= 10) && (\vector <= 14)) || (\vector == 17) || (\vector == 21) || (\vector == 29) || (\vector == 30)
  // The CPU pushed an error code.
  .else
  pushq $0
  .endif
  pushq $\vector
  .if (\vector == 2) || (\vector == 8) || (\vector == 18)
  jmp ParanoidCommon
  .else
  jmp InterruptCommon
  .endif
  .endm

  .macro STUB_ADDRESS vector
  .quad .Linterrupt_stub_\vector
  .endm

  .text
  .globl InterruptStubs
  .type InterruptStubs, @function
  .p2align 4
InterruptStubs:
  .set stub_vector, 0
  .rept 256
  INTERRUPT_STUB %stub_vector
  .set stub_vector, stub_vector + 1
  .endr
  .size InterruptStubs, . - InterruptStubs

// InterruptStubTable[n] = address of the stub for vector n (read by idt.cc).
  .section .rodata
  .p2align 3
  .globl InterruptStubTable
  .type InterruptStubTable, @object
InterruptStubTable:
  .set stub_vector, 0
  .rept 256
  STUB_ADDRESS %stub_vector
  .set stub_vector, stub_vector + 1
  .endr
  .size InterruptStubTable, . - InterruptStubTable

  .text

  .globl InterruptCommon
  .type InterruptCommon, @function
InterruptCommon:
  // Stack: vector, error code, RIP, CS, RFLAGS, RSP, SS.
  testb $3, 24(%rsp)
  jz .Lfrom_kernel
  swapgs
.Lgs_is_kernel:
  lfence                    // both paths: no speculation past the SWAPGS decision
  cld
  PUSH_GENERAL_REGISTERS
  ENTER_DISPATCH_FRAME      // RDI = InterruptFrame*
  call InterruptDispatch    // RSP is 16-byte aligned here (see interrupt_frame.h)
  add $16, %rsp
  POP_GENERAL_REGISTERS
  add $16, %rsp             // vector, error code
  testb $3, 8(%rsp)         // CS of the (possibly edited) return frame
  jz 2f
  swapgs
  .globl UserReturnIretCommon
UserReturnIretCommon:
  iretq
2:
  iretq

.Lfrom_kernel:
  // Ring 0 was interrupted. If it was one of the IRETQs to ring 3 (which faulted), SWAPGS had
  // already loaded the user's GS: swap back.
  pushq %rax
  leaq UserReturnIretCommon(%rip), %rax
  cmpq %rax, 24(%rsp)       // RIP (one word deeper: the pushed RAX)
  je 3f
  leaq UserReturnIretSyscall(%rip), %rax
  cmpq %rax, 24(%rsp)
  je 3f
  leaq UserReturnIretEntry(%rip), %rax
  cmpq %rax, 24(%rsp)
  je 3f
  popq %rax
  jmp .Lgs_is_kernel
3:
  popq %rax
  swapgs
  jmp .Lgs_is_kernel
  .size InterruptCommon, . - InterruptCommon

  .set MSR_GS_BASE, 0xc0000101

  .globl ParanoidCommon
  .type ParanoidCommon, @function
ParanoidCommon:
  // Stack (this vector's IST stack): vector, error code, RIP, CS, RFLAGS, RSP, SS.
  cmpq $8, (%rsp)
  je 1f                     // #DF: CS is undefined, never trust it
  testb $3, 24(%rsp)
  jnz InterruptCommon       // from ring 3: GS is the user's, the ordinary path swaps it
1:
  lfence                    // the decision above is a conditional SWAPGS avoided
  cld
  PUSH_GENERAL_REGISTERS    // RSP is 16-byte aligned afterwards (interrupt_frame.h)
  mov %rsp, %rdi
  call ParanoidKernelGsBase // RAX = this CPU's PerCpu from the IST stack address, 0 if none
  mov %rax, %r12            // GPRs are restored from the frame: r12/r13 are free here
  xor %r13d, %r13d
  test %rax, %rax
  jz 2f                     // too early (no PerCpu yet): leave GS as it is
  mov $MSR_GS_BASE, %ecx
  rdmsr
  shl $32, %rdx
  or %rax, %rdx
  mov %rdx, %r13            // the interrupted GS base, whatever it was
  mov %r12, %rax
  mov %r12, %rdx
  shr $32, %rdx
  mov $MSR_GS_BASE, %ecx
  wrmsr
2:
  lfence
  ENTER_DISPATCH_FRAME      // RDI = InterruptFrame*
  call InterruptDispatch
  add $16, %rsp
  test %r12, %r12           // r12/r13 are callee-saved: still ours
  jz 3f
  mov %r13, %rax
  mov %r13, %rdx
  shr $32, %rdx
  mov $MSR_GS_BASE, %ecx
  wrmsr
3:
  POP_GENERAL_REGISTERS
  add $16, %rsp             // vector, error code
  iretq
  .size ParanoidCommon, . - ParanoidCommon
  .section .note.GNU-stack, "", @progbits
