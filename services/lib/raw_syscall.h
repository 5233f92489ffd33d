// services/lib/raw_syscall.h — RawSyscall: the SYSCALL instruction with the ABI's registers
// (uapi/syscalls.h). Everything else calls the kernel through services/lib/syscalls.h.
//
// ABI: rax = number, arguments in rdi, rsi, rdx, r10, r8, r9; the kernel returns the status in
// rax and the value in rdx, clobbers rcx and r11 and preserves everything else.
#pragma once

#include <stdint.h>

#include "uapi/status.h"

namespace hiillos::rt {

struct SysResult {
  uapi::Status status;
  uint64_t value;  // the call's value (a handle, ...) when status is kOk

  bool ok() const { return status == uapi::Status::kOk; }
};

inline SysResult RawSyscall(uint64_t number, uint64_t a0 = 0, uint64_t a1 = 0, uint64_t a2 = 0,
                            uint64_t a3 = 0, uint64_t a4 = 0, uint64_t a5 = 0) {
  register uint64_t r10 asm("r10") = a3;
  register uint64_t r8 asm("r8") = a4;
  register uint64_t r9 asm("r9") = a5;
  uint64_t rax = number;
  uint64_t rdx = a2;
  asm volatile("syscall"
               : "+a"(rax), "+d"(rdx)
               : "D"(a0), "S"(a1), "r"(r10), "r"(r8), "r"(r9)
               : "rcx", "r11", "memory");
  return SysResult{static_cast<uapi::Status>(rax), rdx};
}

}  // namespace hiillos::rt
