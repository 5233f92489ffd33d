// kernel/arch/x86_64/interrupt_entry.S — the 256 IDT entry stubs and the common save/restore path.
//
// Each stub pushes a 0 error code (unless the CPU pushed one: vectors 8, 10-14, 17, 21, 29, 30;
// SDM Vol.3A Table 6-1) and its vector, then jumps to InterruptCommon, which saves every GPR in
// the InterruptFrame layout (interrupt_frame.h), calls InterruptDispatch(frame) and restores the
// (possibly edited) frame. SWAPGS runs when the interrupted code was in ring 3 (CS.RPL != 0), so
// kernel code always has its PerCpu in GS (percpu.h).
// Known gap: NMI/#MC arriving in ring 0 between a SWAPGS and the following IRET/SYSRET would see
// the user GS; that can only happen once user mode exists (then NMI/#MC need the "paranoid"
// entry that reads IA32_GS_BASE, as Linux does).
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
  jmp InterruptCommon
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
  jz 1f
  swapgs
1:
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
2:
  iretq
  .size InterruptCommon, . - InterruptCommon
  .section .note.GNU-stack, "", @progbits
