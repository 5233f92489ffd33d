// kernel/arch/x86_64/syscall_init.h — enabling SYSCALL/SYSRET on a CPU.
#pragma once

namespace hiillos::arch {

// Sets IA32_STAR (kStarValue: kernel/user selectors), IA32_LSTAR (SyscallEntry), IA32_FMASK
// (kSyscallFlagMask) and IA32_EFER.SCE on the calling CPU (SDM Vol.3A §5.8.8). Every CPU, after
// its GDT and per-CPU data are loaded (part of PerCpuInit).
void SyscallInitCpu();

}  // namespace hiillos::arch
