// testing/lib/thread_start.cc — the start trampoline of guest test threads (thread_start.h).
#include "testing/lib/thread_start.h"

#include "services/lib/syscalls.h"

namespace hiillos::testing_lib {
namespace {

extern "C" [[noreturn]] void TestThreadStart(ThreadFunction fn, uint64_t arg) {
  fn(arg);
  rt::ThreadExit(0);
}

}  // namespace

uapi::ThreadRegs ThreadStartRegs(ThreadFunction fn, uint64_t arg, void* stack,
                                 uint64_t stack_bytes) {
  uapi::ThreadRegs regs{};
  regs.rip = reinterpret_cast<uint64_t>(&TestThreadStart);
  regs.rsp = reinterpret_cast<uint64_t>(stack) + stack_bytes - 8;  // as right after a call
  regs.rdi = reinterpret_cast<uint64_t>(fn);
  regs.rsi = arg;
  regs.rflags = 0x202;  // IF
  return regs;
}

}  // namespace hiillos::testing_lib
