// services/lib/syscall.h — the user side of uapi/syscalls.h: the raw SYSCALL instruction and
// one wrapper per syscall, generated from HIILLOS_SYSCALLS (Sys<Name>(args...)).
//
// ABI: rax = number, arguments in rdi, rsi, rdx, r10, r8, r9; the kernel returns the status in
// rax and the value in rdx, clobbers rcx and r11 and preserves everything else.
#pragma once

#include <stdint.h>

#include "lib/base/result.h"
#include "uapi/status.h"
#include "uapi/syscalls.h"

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

// Sys<Name>(u64 ...): exactly as many arguments as the table says.
#define HIILLOS_USER_WRAPPER_0(number, name) \
  inline SysResult Sys##name() {             \
    return RawSyscall(number);               \
  }
#define HIILLOS_USER_WRAPPER_1(number, name) \
  inline SysResult Sys##name(uint64_t a0) {  \
    return RawSyscall(number, a0);           \
  }
#define HIILLOS_USER_WRAPPER_2(number, name)             \
  inline SysResult Sys##name(uint64_t a0, uint64_t a1) { \
    return RawSyscall(number, a0, a1);                   \
  }
#define HIILLOS_USER_WRAPPER_3(number, name)                          \
  inline SysResult Sys##name(uint64_t a0, uint64_t a1, uint64_t a2) { \
    return RawSyscall(number, a0, a1, a2);                            \
  }
#define HIILLOS_USER_WRAPPER_4(number, name)                                       \
  inline SysResult Sys##name(uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3) { \
    return RawSyscall(number, a0, a1, a2, a3);                                     \
  }
#define HIILLOS_USER_WRAPPER_5(number, name)                                                    \
  inline SysResult Sys##name(uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4) { \
    return RawSyscall(number, a0, a1, a2, a3, a4);                                              \
  }
#define HIILLOS_USER_WRAPPER_6(number, name)                                                  \
  inline SysResult Sys##name(uint64_t a0, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4, \
                             uint64_t a5) {                                                   \
    return RawSyscall(number, a0, a1, a2, a3, a4, a5);                                        \
  }
#define HIILLOS_USER_WRAPPER(number, name, args) HIILLOS_USER_WRAPPER_##args(number, name)
HIILLOS_SYSCALLS(HIILLOS_USER_WRAPPER)
#undef HIILLOS_USER_WRAPPER

// A SysResult as a Result (the value on success).
inline Result<uint64_t, uapi::Status> ToResult(SysResult result) {
  if (!result.ok()) return Err(result.status);
  return result.value;
}

}  // namespace hiillos::rt
