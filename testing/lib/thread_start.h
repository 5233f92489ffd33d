// testing/lib/thread_start.h — the registers that start an extra thread of a guest test program
// in a function of its own image: fn(arg) on a given stack, then ThreadExit(0) when fn returns.
// Shared by the conformance suite's children (testing/conformance/child.h) and the benchmark's
// partner threads (testing/bench/threads.h).
#pragma once

#include <stdint.h>

#include "uapi/syscalls.h"

namespace hiillos::testing_lib {

using ThreadFunction = void (*)(uint64_t arg);

// For ThreadSetRegs: rip at a trampoline that calls fn(arg) and then ThreadExit(0); rsp at the
// top of the stack [stack, stack + stack_bytes) as right after a call; interrupts enabled. The
// thread must run in the caller's address space (the trampoline and fn are addresses in it).
uapi::ThreadRegs ThreadStartRegs(ThreadFunction fn, uint64_t arg, void* stack,
                                 uint64_t stack_bytes);

}  // namespace hiillos::testing_lib
