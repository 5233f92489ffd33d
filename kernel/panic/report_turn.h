// kernel/panic/report_turn.h — one CPU's turn in the panic's report sequence (cpu_reports.h): the
// hand-off between the panicking CPU (asks, waits) and the reporting CPU (parks, reports,
// finishes), with every wait bounded by a spin count. Pure logic on atomics, host-tested.
//
// Ownership: one per CPU index, zero-initialised static storage; the reporting CPU writes
// Park/Progress/Finish, the panicking CPU writes the request. Used once per boot (a panic).
#pragma once

#include <stdint.h>

#include "lib/base/atomic.h"

namespace hiillos::panic {

class ReportTurn {
 public:
  // One spin-wait step (the CPU's PAUSE hint); tests pass their own.
  using Relax = void (*)();

  enum class Outcome : uint8_t {
    kReported,  // the CPU parked, reported and finished
    kNoAnswer,  // it did not park within the park budget (never asked)
    kStalled,   // it parked and was asked, but stopped making progress before finishing
  };

  // Reporting CPU: it took the panic's NMI and waits to be asked.
  void Park() { state_.Store(kParked, MemoryOrder::kRelease); }
  // Reporting CPU: spins until asked (true) or until `over` is set (false: the panicking CPU
  // gave up on it or finished; the CPU should halt without reporting).
  bool WaitUntilAsked(const Atomic<bool>& over, Relax relax) {
    while (state_.Load(MemoryOrder::kAcquire) != kAsked) {
      if (over.Load(MemoryOrder::kAcquire)) return false;
      relax();
    }
    return true;
  }
  // Reporting CPU: one more piece of the report is out (resets the panicking CPU's stall count).
  void Progress() { progress_.FetchAdd(1, MemoryOrder::kRelease); }
  // Reporting CPU: the report is complete.
  void Finish() { state_.Store(kDone, MemoryOrder::kRelease); }

  // Panicking CPU: waits up to `park_spins` steps for the CPU to park, asks it, then waits for
  // it to finish, giving up after `stall_spins` consecutive steps without progress.
  Outcome AskAndWait(uint64_t park_spins, uint64_t stall_spins, Relax relax) {
    if (!WaitForParked(park_spins, relax)) return Outcome::kNoAnswer;
    uint64_t seen = progress_.Load(MemoryOrder::kAcquire);
    state_.Store(kAsked, MemoryOrder::kRelease);
    uint64_t idle = 0;
    while (state_.Load(MemoryOrder::kAcquire) != kDone) {
      uint64_t now = progress_.Load(MemoryOrder::kAcquire);
      if (now != seen) {
        seen = now;
        idle = 0;
      } else if (++idle > stall_spins) {
        return Outcome::kStalled;
      }
      relax();
    }
    return Outcome::kReported;
  }

 private:
  enum State : uint32_t { kIdle = 0, kParked = 1, kAsked = 2, kDone = 3 };

  bool WaitForParked(uint64_t spins, Relax relax) {
    for (uint64_t i = 0; i < spins; ++i) {
      if (state_.Load(MemoryOrder::kAcquire) == kParked) return true;
      relax();
    }
    return state_.Load(MemoryOrder::kAcquire) == kParked;
  }

  Atomic<uint32_t> state_;
  Atomic<uint64_t> progress_;
};

}  // namespace hiillos::panic
