// services/lib/raw_syscall.h — RawSyscall: the SYSCALL instruction with the ABI's registers
// (uapi/syscalls.h). Everything else calls the kernel through services/lib/syscalls.h.
//
// ABI: rax = number, arguments in rdi, rsi, rdx, r10, r8, r9; the kernel returns the status in
// rax and the value in rdx, clobbers rcx and r11 and preserves everything else.
#pragma once

#include <stdint.h>

#include "uapi/ipc.h"
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

// An IPC call (uapi/ipc.h): `a0` in rdi, `a1` in rsi, `message` in the message registers (info
// in rdx, words in r10 r8 r9 r12 r13 r14). On kOk, `message` becomes what the kernel returned
// (info, badge from rsi, words); on an error it is left as it was.
inline uapi::Status RawIpcSyscall(uint64_t number, uint64_t a0, uint64_t a1,
                                  uapi::IpcMessage& message) {
  register uint64_t r10 asm("r10") = message.words[0];
  register uint64_t r8 asm("r8") = message.words[1];
  register uint64_t r9 asm("r9") = message.words[2];
  register uint64_t r12 asm("r12") = message.words[3];
  register uint64_t r13 asm("r13") = message.words[4];
  register uint64_t r14 asm("r14") = message.words[5];
  uint64_t rax = number;
  uint64_t rdx = message.info;
  uint64_t rsi = a1;
  asm volatile("syscall"
               : "+a"(rax), "+d"(rdx), "+S"(rsi), "+r"(r10), "+r"(r8), "+r"(r9), "+r"(r12),
                 "+r"(r13), "+r"(r14)
               : "D"(a0)
               : "rcx", "r11", "memory");
  auto status = static_cast<uapi::Status>(rax);
  if (status != uapi::Status::kOk) return status;
  message.info = rdx;
  message.badge = rsi;
  message.words[0] = r10;
  message.words[1] = r8;
  message.words[2] = r9;
  message.words[3] = r12;
  message.words[4] = r13;
  message.words[5] = r14;
  return status;
}

}  // namespace hiillos::rt
