/* bootloader/multiboot/entry.S — the shim's Multiboot header and its 32-bit entry: zero .bss,
 * identity-map the first 4 GiB with 2 MiB pages, enter long mode and call ShimMain(magic, info).
 *
 * Multiboot 0.6.96 §3.2: EAX = 0x2badb002, EBX = the information structure's physical address,
 * flat 32-bit protected mode, paging and interrupts off, A20 on, no usable stack. The header uses
 * the address fields (flag 16), so QEMU loads the flat binary at 1 MiB as it is. */

#define MB_MAGIC 0x1badb002
#define MB_FLAGS ((1 << 0) | (1 << 1) | (1 << 16)) /* page-aligned modules, memory map, addresses */

  .section .multiboot, "a"
  .balign 4
multiboot_header:
  .long MB_MAGIC
  .long MB_FLAGS
  .long -(MB_MAGIC + MB_FLAGS)
  .long multiboot_header /* header_addr */
  .long __shim_start     /* load_addr */
  .long __shim_load_end  /* load_end_addr */
  .long __shim_end       /* bss_end_addr */
  .long shim_entry32     /* entry_addr */

  .section .text.entry32, "ax"
  .code32
  .globl shim_entry32
shim_entry32:
  cli
  mov %eax, %esi /* magic */
  mov %ebx, %ebp /* information structure */
  /* .bss: stack and early page tables must start zeroed */
  mov $__bss_start, %edi
  mov $__shim_end, %ecx
  sub %edi, %ecx
  xor %eax, %eax
  cld
  rep stosb
  mov $shim_stack_top, %esp
  /* PML4[0] -> PDPT; PDPT[0..3] -> four PDs; each PD entry a 2 MiB page (present, writable, PS) */
  mov $shim_pdpt, %eax
  or $0x3, %eax
  mov %eax, shim_pml4
  mov $shim_pds, %edi
  mov $shim_pdpt, %ebx
  xor %ecx, %ecx
1:
  mov %edi, %eax
  or $0x3, %eax
  mov %eax, (%ebx, %ecx, 8)
  add $4096, %edi
  inc %ecx
  cmp $4, %ecx
  jne 1b
  mov $shim_pds, %edi
  xor %ecx, %ecx /* 2 MiB page number, 0..2047 */
2:
  mov %ecx, %eax
  shl $21, %eax
  or $0x83, %eax
  mov %eax, (%edi, %ecx, 8)
  mov %ecx, %eax
  shr $11, %eax /* bits 32+ of the address: page number >> 11 */
  mov %eax, 4(%edi, %ecx, 8)
  inc %ecx
  cmp $2048, %ecx
  jne 2b
  /* CR4.PAE, CR3, EFER.LME, CR0.PG */
  mov %cr4, %eax
  or $(1 << 5), %eax
  mov %eax, %cr4
  mov $shim_pml4, %eax
  mov %eax, %cr3
  mov $0xc0000080, %ecx
  rdmsr
  or $(1 << 8), %eax
  wrmsr
  mov %cr0, %eax
  or $((1 << 31) | 1), %eax
  mov %eax, %cr0
  lgdt shim_gdt_pointer
  ljmp $0x08, $shim_entry64

  .code64
shim_entry64:
  mov $0x10, %eax
  mov %eax, %ds
  mov %eax, %es
  mov %eax, %ss
  xor %eax, %eax
  mov %eax, %fs
  mov %eax, %gs
  mov $shim_stack_top, %rsp
  mov %esi, %edi /* magic (zero-extended) */
  mov %ebp, %esi /* information structure */
  xor %ebp, %ebp
  call ShimMain
3:
  cli
  hlt
  jmp 3b

  .section .rodata.gdt, "a"
  .balign 8
shim_gdt:
  .quad 0
  .quad 0x00af9a000000ffff /* 0x08: 64-bit code, DPL 0 */
  .quad 0x00cf92000000ffff /* 0x10: data, DPL 0 */
shim_gdt_end:
shim_gdt_pointer:
  .word shim_gdt_end - shim_gdt - 1
  .long shim_gdt

  .section .bss.page_tables, "aw", @nobits
  .balign 4096
shim_pml4:
  .skip 4096
shim_pdpt:
  .skip 4096
shim_pds:
  .skip 4 * 4096
  .balign 16
  .skip 32768
shim_stack_top:

  .section .note.GNU-stack, "", @progbits
