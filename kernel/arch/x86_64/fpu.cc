// kernel/arch/x86_64/fpu.cc — enabling x87/SSE for user mode and the initial FXSAVE image.
#include "kernel/arch/x86_64/fpu.h"

#include "lib/x86/control_registers.h"

namespace hiillos::arch {
namespace {

// CR0 and CR4 bits (SDM Vol.3A §2.5, §13.1.3 "Initialization of the SSE extensions").
constexpr uint64_t kCr0MonitorCoprocessor = 1ull << 1;  // MP
constexpr uint64_t kCr0Emulation = 1ull << 2;           // EM: must be 0 for SSE
constexpr uint64_t kCr0TaskSwitched = 1ull << 3;        // TS: would trap the first FPU use
constexpr uint64_t kCr4Osfxsr = 1ull << 9;              // FXSAVE/FXRSTOR + SSE enabled
constexpr uint64_t kCr4Osxmmexcpt = 1ull << 10;         // #XM for unmasked SSE exceptions

// FXSAVE layout offsets (SDM Vol.1 Table 10-2).
constexpr unsigned kFcwOffset = 0;
constexpr unsigned kMxcsrOffset = 24;
constexpr uint16_t kDefaultFcw = 0x037f;
constexpr uint32_t kDefaultMxcsr = 0x1f80;

}  // namespace

void FpuInitCpu() {
  uint64_t cr0 = x86::ReadCr0();
  cr0 |= kCr0MonitorCoprocessor;
  cr0 &= ~(kCr0Emulation | kCr0TaskSwitched);
  x86::WriteCr0(cr0);
  x86::WriteCr4(x86::ReadCr4() | kCr4Osfxsr | kCr4Osxmmexcpt);
  asm volatile("fninit" ::: "memory");
}

void FpuResetState(FpuState* state) {
  __builtin_memset(state->bytes, 0, sizeof(state->bytes));
  __builtin_memcpy(&state->bytes[kFcwOffset], &kDefaultFcw, sizeof(kDefaultFcw));
  __builtin_memcpy(&state->bytes[kMxcsrOffset], &kDefaultMxcsr, sizeof(kDefaultMxcsr));
}

}  // namespace hiillos::arch
