// testing/lib/poll_pause.h — a pause between the polls of a guest test's wait loop: asleep for a
// few milliseconds of the system clock (NotifyWaitUntil on a Notify nobody signals) instead of
// spinning. A test that spins while it waits for other programs takes CPU time from them, and
// under QEMU's single-threaded TCG a vCPU that never halts holds up the others for its whole
// time slice: fs_restart_test_smp4 spent 34 s of guest time waiting for fs_reader that way.
#pragma once

#include <stdint.h>

namespace hiillos::testing_lib {

class PollPause {
 public:
  // The Notify is charged to `memory`; without one (allocation failed) Wait only yields.
  explicit PollPause(uint32_t memory);
  ~PollPause();
  PollPause(const PollPause&) = delete;
  PollPause& operator=(const PollPause&) = delete;

  void Wait(uint64_t milliseconds);

 private:
  uint32_t notify_ = 0;
  uint64_t ticks_per_ms_ = 0;
};

}  // namespace hiillos::testing_lib
