// kernel/arch/x86_64/fpu.h — x87/SSE state of user threads: per-CPU enable, FXSAVE/FXRSTOR.
//
// The kernel itself is built with -mgeneral-regs-only and never touches x87/SSE registers, so
// the FPU state on a CPU always belongs to the user thread that last ran there; the scheduler
// saves it when such a thread is switched out and restores it when one is switched in (eager
// switching, no CR0.TS tricks). Only the legacy FXSAVE area (x87 + SSE, 512 bytes) is managed:
// CR4.OSXSAVE stays clear, so AVX and later extensions are #UD in user mode and have no
// state to leak (SDM Vol.1 §10.5, Vol.3A §13.1).
#pragma once

#include <stdint.h>

namespace hiillos::arch {

struct alignas(16) FpuState {
  uint8_t bytes[512];  // FXSAVE64 layout (SDM Vol.1 Table 10-2)
};

// CR0.MP = 1, CR0.EM = 0, CR0.TS = 0, CR4.OSFXSR = 1, CR4.OSXMMEXCPT = 1 on the calling CPU,
// then FNINIT. Once per CPU, before any user thread runs on it.
void FpuInitCpu();

// The state a new thread starts with: FCW 0x037f (all x87 exceptions masked, 64-bit
// precision, round to nearest), MXCSR 0x1f80 (all SSE exceptions masked), registers zero.
void FpuResetState(FpuState* state);

inline void FpuSave(FpuState* state) {
  asm volatile("fxsave64 %0" : "=m"(*state) : : "memory");
}
// x87 FIP/FDP/FOP and the previous thread: AMD CPUs (the FXSAVE_LEAK erratum Linux works
// around the same way) save and restore the last x87 instruction and data pointers and opcode
// only when the image has an exception pending (FSW.ES); otherwise FXRSTOR leaves the live
// values alone, so the next thread could read the previous thread's with FNSTENV or FXSAVE.
// AMD's recommended sequence makes them a fixed kernel value first: FNCLEX (no exception may
// be pending, or FILD would raise #MF), EMMS (all tags empty, so FILD cannot overflow the
// stack) and a dummy FILD, whose instruction and data pointers become the live ones. Done on
// every CPU: it costs a few cycles and needs no vendor check. The kernel itself never uses
// x87/SSE, so clobbering the x87 state right before the restore loses nothing.
inline constexpr uint32_t kFpuPointerScrubOperand = 0;
inline void FpuScrubInstructionPointers() {
  asm volatile("fnclex\n\temms\n\tfildl %0" : : "m"(kFpuPointerScrubOperand) : "memory");
}
inline void FpuRestore(const FpuState* state) {
  FpuScrubInstructionPointers();
  asm volatile("fxrstor64 %0" : : "m"(*state) : "memory");
}

}  // namespace hiillos::arch
