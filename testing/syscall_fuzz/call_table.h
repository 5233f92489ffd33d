// testing/syscall_fuzz/call_table.h — every syscall of uapi/syscalls.h (HIILLOS_SYSCALLS) as a
// fuzzing entry: a function that draws its arguments kind by kind (arguments.h) and makes the
// call, and the rules that confine it. A syscall added to the table is fuzzed with no change
// here; only a call that blocks indefinitely must be listed (kBlockingCalls in call_table.cc).
#pragma once

#include <stdint.h>

#include "services/lib/raw_syscall.h"
#include "testing/syscall_fuzz/arguments.h"
#include "uapi/syscalls.h"

namespace hiillos::syscall_fuzz {

enum class Outcome : uint8_t {
  kSkipped,  // a confinement rule refused these arguments (nothing was called)
  kFailed,   // the kernel returned an error status
  kSucceeded,
};

struct CallEntry {
  const char* name;
  uint64_t number;
  // Draws the arguments, makes the call, records new handles in the pool.
  Outcome (*invoke)(Context& c);
  // False for calls the fuzzer never makes: NoReturn calls (ThreadExit would end the worker)
  // and calls that block until another thread acts (kBlockingCalls).
  bool fuzzed;
};

// The entry of syscall `number`, or nullptr (past the end, or a gap in the numbering).
const CallEntry* CallByNumber(uint64_t number);

// Picks a fuzzed entry (weighted: Log, whose output is slow serial I/O, is rarely drawn).
const CallEntry& PickCall(Rng& rng);

}  // namespace hiillos::syscall_fuzz
