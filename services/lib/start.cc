// services/lib/start.cc — _start: stack alignment, UserMain, ThreadExit.
#include "services/lib/start.h"

#include "services/lib/syscalls.h"

extern "C" [[noreturn]] void StartMain(uint64_t arg0, uint64_t arg1) {
  int code = UserMain(arg0, arg1);
  hiillos::rt::ThreadExit(static_cast<uint64_t>(static_cast<int64_t>(code)));
}

// The ELF entry point (first in .text: user.ld places .text.start first). rdi/rsi pass through
// to StartMain; the stack is realigned so StartMain sees the ABI's alignment after a call.
asm(R"(
  .section .text.start, "ax", @progbits
  .globl _start
  .type _start, @function
_start:
  xor %ebp, %ebp
  and $-16, %rsp
  call StartMain
  ud2
  .size _start, . - _start
  .text
)");
