// kernel/panic/ksyms_reserve.S — reserves the .ksyms section the build fills with symbols.
//
// The section must exist, with a fixed size, when the kernel is linked: tools/symbols then
// writes the table into it with `llvm-objcopy --update-section`, which changes no address.
// kernel.ld places it in the read-only segment between __ksyms_start and __ksyms_end. If the
// kernel grows past the reserve, the symbol step fails the build and says to raise this size.
  .section .ksyms, "a", @progbits
  .p2align 4
  .globl KsymsReserve
  .type KsymsReserve, @object
KsymsReserve:
  .zero 256 * 1024
  .size KsymsReserve, . - KsymsReserve
  .section .note.GNU-stack, "", @progbits
