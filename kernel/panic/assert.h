// kernel/panic/assert.h — ASSERT(cond, "message"): reports a broken kernel invariant through the
// panic path (register dump, backtrace, QEMU exit in test mode) instead of a silent trap.
//
// For invariants of the kernel's own state only. Never assert on anything a user program or
// the hardware can influence: such errors are values (Result<T, Error>).
//
// Host-compatible: code that host tests also build (object layer, capability table) asserts
// too. The kernel's AssertionFailed is the panic path (panic.cc); host test binaries link
// //kernel/panic:host_assert, which prints the same line and aborts.
#pragma once

namespace hiillos::panic {

// ASSERT's slow path: "ASSERT(<expression>) failed at <file>:<line>: <message>", then stops.
[[noreturn]] void AssertionFailed(const char* expression, const char* message, const char* file,
                                  int line);

}  // namespace hiillos::panic

#define ASSERT(condition, message)                                                  \
  do {                                                                              \
    if (__builtin_expect(!(condition), 0)) {                                        \
      ::hiillos::panic::AssertionFailed(#condition, (message), __FILE__, __LINE__); \
    }                                                                               \
  } while (0)
