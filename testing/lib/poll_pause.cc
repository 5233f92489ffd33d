// testing/lib/poll_pause.cc — PollPause: NotifyWaitUntil on a private Notify.
#include "testing/lib/poll_pause.h"

#include "services/lib/syscalls.h"
#include "services/lib/tsc.h"

namespace hiillos::testing_lib {

PollPause::PollPause(uint32_t memory) {
  auto clock = rt::SystemClock();
  auto notify = rt::MemoryAllocNotify(memory);
  if (clock.ok() && clock.value().tsc_hz >= 1000 && notify.ok()) {
    notify_ = notify.value();
    ticks_per_ms_ = clock.value().tsc_hz / 1000;
  } else if (notify.ok()) {
    (void)rt::CapDelete(notify.value());
  }
}

PollPause::~PollPause() {
  if (notify_ != 0) (void)rt::CapDelete(notify_);
}

void PollPause::Wait(uint64_t milliseconds) {
  if (notify_ == 0) {
    (void)rt::Yield();
    return;
  }
  // Nobody signals the Notify: it returns kTimedOut at the deadline.
  (void)rt::NotifyWaitUntil(notify_, rt::ReadTsc() + milliseconds * ticks_per_ms_);
}

}  // namespace hiillos::testing_lib
