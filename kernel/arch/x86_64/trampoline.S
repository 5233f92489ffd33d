// kernel/arch/x86_64/trampoline.S — the application processors' first instructions: real mode
// -> protected mode -> long mode, then a jump to ApMain in the kernel (smp.cc).
//
// This block is never executed where it is linked: the boot CPU copies ApTrampolineStart..End
// to a page below 1 MiB (smp.cc) and the start-up IPI (SDM Vol.3A §8.4.4, §10.6.1) starts the AP
// in real mode at CS = page << 8, IP = 0. Everything before long mode therefore addresses the
// page through its offset from ApTrampolineStart: relative to DS = CS in real mode, relative to
// %ebx (the page's linear address) in protected mode; the 64-bit part uses RIP-relative loads.
// The boot CPU fills ApTrampolineData before each start-up IPI (layout: TrampolineData in
// smp.cc). The page tables in ApDataCr3 identity-map the page (so enabling paging here is
// harmless) and share the kernel's upper half (so the jump to ApMain works).
#define OFFSET(label) ((label) - ApTrampolineStart)

  .section .rodata.ap_trampoline, "a"
  .balign 16
  .globl ApTrampolineStart, ApTrampolineEnd, ApTrampolineData

  .code16
ApTrampolineStart:
  cli
  cld
  movw %cs, %ax
  movw %ax, %ds
  xorl %ebx, %ebx
  movw %ax, %bx
  shll $4, %ebx                          // %ebx = linear address of this page
  // The GDT pointer and the far jumps need linear addresses: patch them in.
  leal OFFSET(ApGdt)(%ebx), %eax
  movl %eax, OFFSET(ApGdtPointer) + 2
  leal OFFSET(ApProtectedMode)(%ebx), %eax
  movl %eax, OFFSET(ApJumpTo32)
  leal OFFSET(ApLongMode)(%ebx), %eax    // all writes happen now: paged, the page is read-only
  movl %eax, OFFSET(ApJumpTo64)
  lgdtl OFFSET(ApGdtPointer)
  // CR0 after INIT is 0x60000010 (CD and NW set: caches off, SDM Table 9-1): start clean with
  // PE | ET | NE.
  movl $0x00000031, %eax
  movl %eax, %cr0
  ljmpl *OFFSET(ApJumpTo32)

  .code32
ApProtectedMode:
  movw $0x10, %ax
  movw %ax, %ds
  movw %ax, %es
  movw %ax, %ss
  movw %ax, %fs
  movw %ax, %gs
  movl %cr4, %eax
  orl $(1 << 5), %eax                    // CR4.PAE: required for long mode (SDM §9.8.5)
  movl %eax, %cr4
  movl OFFSET(ApDataCr3)(%ebx), %eax     // a PML4 below 4 GiB (32-bit CR3 load)
  movl %eax, %cr3
  movl $0xc0000080, %ecx                 // IA32_EFER: LME, and NXE when the kernel uses NX
  movl OFFSET(ApDataEfer)(%ebx), %eax
  xorl %edx, %edx
  wrmsr
  movl $0x80010031, %eax                 // PG | WP | NE | ET | PE: long mode becomes active
  movl %eax, %cr0
  ljmpl *OFFSET(ApJumpTo64)(%ebx)

  .code64
ApLongMode:
  movw $0x10, %ax
  movw %ax, %ds
  movw %ax, %es
  movw %ax, %ss
  movq ApDataStack(%rip), %rsp
  movq ApDataArgument(%rip), %rdi
  movq ApDataEntry(%rip), %rax
  xorl %ebp, %ebp                        // ends frame-pointer backtraces
  pushq $0                               // a null return address: ApMain sees a call frame
  jmpq *%rax

  // Flat descriptors (SDM §3.4.5), accessed bits preset: after paging is on this page is mapped
  // read-only, so the CPU must not need to write them.
  .balign 8
ApGdt:
  .quad 0
  .quad 0x00cf9b000000ffff               // 0x08: 32-bit code, base 0, limit 4 GiB
  .quad 0x00cf93000000ffff               // 0x10: data, base 0, limit 4 GiB
  .quad 0x00af9b000000ffff               // 0x18: 64-bit code (L = 1)
ApGdtEnd:
ApGdtPointer:
  .word ApGdtEnd - ApGdt - 1
  .long 0                                // linear base, patched
ApJumpTo32:
  .long 0                                // offset, patched
  .word 0x08
ApJumpTo64:
  .long 0
  .word 0x18

  .balign 8
ApTrampolineData:                        // struct TrampolineData (smp.cc)
ApDataCr3:
  .long 0
ApDataEfer:
  .long 0
ApDataStack:
  .quad 0
ApDataEntry:
  .quad 0
ApDataArgument:
  .quad 0
ApTrampolineEnd:

  .section .note.GNU-stack, "", @progbits
