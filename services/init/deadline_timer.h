// services/init/deadline_timer.h — DeadlineTimer: wakes init's single receive loop at a TSC
// deadline (a service's ready timeout, the end of its restart back-off, the moment it counts as
// healthy), so init waits for time without blocking its control requests and notices.
//
// A helper Process sharing init's address space (its own Vmem handle), with one thread and two
// capabilities: a Notify (Read) and init's notice Sender (Write). The thread waits on the Notify
// until the deadline init set (NotifyWaitUntil), then Calls init with a kTimerTick notice and
// waits again for the deadline init sets while it handles the tick (init sets it before it
// answers). Set() signals the Notify so a new deadline takes effect at once. Owned by init for
// its whole life; the helper, its thread and the Notify are charged to init's Memory.
#pragma once

#include <stdint.h>

#include "lib/base/result.h"
#include "uapi/status.h"

namespace hiillos::init {

// The tick notice on init's notice Sender: w0 = kTimerTick.
inline constexpr uint64_t kTimerTick = 0xe3;
// A deadline never reached.
inline constexpr uint64_t kNoDeadline = ~uint64_t{0};

class DeadlineTimer {
 public:
  DeadlineTimer() = default;
  DeadlineTimer(const DeadlineTimer&) = delete;
  DeadlineTimer& operator=(const DeadlineTimer&) = delete;

  // Starts the helper; errors: the failing syscall's status.
  Result<void, uapi::Status> Start(uint32_t memory, uint32_t own_vmem, uint32_t notice_sender);
  // The next tick comes at `deadline_tsc` (kNoDeadline: none) and replaces any earlier setting.
  void Set(uint64_t deadline_tsc);
  // Kills the helper and waits for its end (before init exits).
  void Stop();

 private:
  uint32_t notify_ = 0;
  uint32_t process_ = 0;
  uint32_t thread_ = 0;
};

}  // namespace hiillos::init
