// bootloader/handoff.cc — the position-independent trampoline and the final jump.
#include "bootloader/handoff.h"

#include "bootloader/cpu.h"

// trampoline(rdi = boot_info, rsi = page_table_root, rdx = stack_top, rcx = entry).
// Runs from an identity-mapped page, so it keeps executing after the CR3 switch; uses no stack
// and no memory operands (it is copied, so it must be position independent). Toggling CR4.PGE
// drops global TLB entries the firmware may have left (SDM Vol.3A §4.10.4.1).
__asm__(R"(
  .pushsection .text.hiillos_trampoline, "ax", @progbits
  .globl hiillos_trampoline_begin
  .hidden hiillos_trampoline_begin
  .globl hiillos_trampoline_end
  .hidden hiillos_trampoline_end
hiillos_trampoline_begin:
  mov %rsi, %cr3
  mov %cr4, %rax
  mov %rax, %r8
  and $~(1 << 7), %rax
  mov %rax, %cr4
  mov %r8, %cr4
  mov %rdx, %rsp
  xor %ebp, %ebp
  jmp *%rcx
hiillos_trampoline_end:
  .popsection
)");

extern "C" {
extern const uint8_t hiillos_trampoline_begin[] __attribute__((visibility("hidden")));
extern const uint8_t hiillos_trampoline_end[] __attribute__((visibility("hidden")));
}

namespace hiillos::loader {

uint64_t TrampolineSize() {
  return static_cast<uint64_t>(hiillos_trampoline_end - hiillos_trampoline_begin);
}

void InstallTrampoline(uint64_t page) {
  __builtin_memcpy(reinterpret_cast<void*>(page), hiillos_trampoline_begin, TrampolineSize());
}

void HandOff(const HandOffState& state) {
  cpu::DisableInterrupts();
  cpu::WriteMsr(cpu::kMsrEfer, cpu::ReadMsr(cpu::kMsrEfer) | cpu::kEferNxe);
  cpu::WriteCr0(cpu::ReadCr0() | cpu::kCr0WriteProtect);
  using Trampoline = void (*)(uint64_t, uint64_t, uint64_t, uint64_t);
  auto trampoline = reinterpret_cast<Trampoline>(state.trampoline);
  trampoline(state.boot_info, state.page_table_root, state.stack_top, state.entry);
  __builtin_unreachable();
}

}  // namespace hiillos::loader
