// kernel/arch/x86_64/syscall_init.cc — SYSCALL MSR set-up (syscall_init.h).
#include "kernel/arch/x86_64/syscall_init.h"

#include "kernel/arch/x86_64/msr.h"
#include "kernel/arch/x86_64/segments.h"
#include "kernel/arch/x86_64/syscall_frame.h"

extern "C" void SyscallEntry();

namespace hiillos::arch {

void SyscallInitCpu() {
  WriteMsr(kMsrStar, kStarValue);
  WriteMsr(kMsrLstar, reinterpret_cast<uint64_t>(&SyscallEntry));
  WriteMsr(kMsrFmask, kSyscallFlagMask);
  WriteMsr(kMsrEfer, ReadMsr(kMsrEfer) | kEferSce);
}

}  // namespace hiillos::arch
