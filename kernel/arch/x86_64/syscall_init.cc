// kernel/arch/x86_64/syscall_init.cc — SYSCALL MSR set-up (syscall_init.h).
#include "kernel/arch/x86_64/syscall_init.h"

#include "kernel/arch/x86_64/segments.h"
#include "kernel/arch/x86_64/syscall_frame.h"
#include "lib/x86/msr.h"

extern "C" void SyscallEntry();

namespace hiillos::arch {

void SyscallInitCpu() {
  x86::WriteMsr(x86::kMsrStar, kStarValue);
  x86::WriteMsr(x86::kMsrLstar, reinterpret_cast<uint64_t>(&SyscallEntry));
  x86::WriteMsr(x86::kMsrFmask, kSyscallFlagMask);
  x86::WriteMsr(x86::kMsrEfer, x86::ReadMsr(x86::kMsrEfer) | x86::kEferSce);
}

}  // namespace hiillos::arch
