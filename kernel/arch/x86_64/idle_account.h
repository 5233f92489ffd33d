// kernel/arch/x86_64/idle_account.h — one CPU's idle-time account: the cycle-counter ticks the
// CPU spent halted in its idle loop (from just before HLT to the interrupt that woke it), kept
// as a monotonic total another CPU can read, including a wait still in progress; and a second
// total, the "empty wake-ups": from a wake-up to the next halt when the CPU ran no thread in
// between (WorkFound not called), i.e. interrupts that found nothing for this CPU to do.
//
// Writer: only the CPU the account belongs to, with interrupts off (Begin before HLT, End at
// the wake-up, WorkFound from the idle loop). Readers: any CPU (IdleAt, EmptyWakes). A sequence
// count (odd while the writer updates) lets a reader take `total` and `since` as one consistent
// pair without a lock; the writer's update is a few stores, so a reader retries at most while
// another CPU is inside it. Pure logic (no CPU access): the caller passes the cycle counter, so
// host tests drive it.
#pragma once

#include <stdint.h>

#include "lib/base/atomic.h"

namespace hiillos::arch {

class IdleAccount {
 public:
  // The CPU halts now (`now`: its cycle counter). A second Begin without End restarts the wait.
  // If the CPU woke (End) and ran no thread since (no WorkFound), that wake-up's span, from End
  // to now (the interrupt's handler and the idle loop finding nothing), joins `empty_wakes`.
  void Begin(uint64_t now) {
    Write([&] {
      if (woke_ != 0 && now > woke_) {
        empty_wakes_.Store(empty_wakes_.Load(MemoryOrder::kRelaxed) + (now - woke_),
                           MemoryOrder::kRelaxed);
      }
      woke_ = 0;
      since_.Store(now == 0 ? 1 : now, MemoryOrder::kRelaxed);
    });
  }
  // The CPU woke at `now`: the wait since Begin joins the total. No-op when no wait is open
  // (the interrupt entry and the idle loop both end it; whichever comes first counts).
  void End(uint64_t now) {
    const uint64_t since = since_.Load(MemoryOrder::kRelaxed);
    if (since == 0) return;
    Write([&] {
      total_.Store(total_.Load(MemoryOrder::kRelaxed) + (now > since ? now - since : 0),
                   MemoryOrder::kRelaxed);
      since_.Store(0, MemoryOrder::kRelaxed);
      woke_ = now == 0 ? 1 : now;
    });
  }
  // The idle loop found a thread to run after the last wake-up: that wake-up was not empty.
  void WorkFound() { woke_ = 0; }

  // Whether a wait is open (Begin without End yet).
  bool Waiting() const { return since_.Load(MemoryOrder::kRelaxed) != 0; }

  // The idle ticks up to `now` (a cycle-counter value of the reading CPU, synchronised with
  // the owner's): the closed waits plus the part of an open wait before `now`.
  uint64_t IdleAt(uint64_t now) const {
    for (;;) {
      const uint64_t before = seq_.Load(MemoryOrder::kAcquire);
      if ((before & 1) != 0) {
        __builtin_ia32_pause();
        continue;
      }
      const uint64_t total = total_.Load(MemoryOrder::kRelaxed);
      const uint64_t since = since_.Load(MemoryOrder::kRelaxed);
      ThreadFence(MemoryOrder::kAcquire);
      if (seq_.Load(MemoryOrder::kRelaxed) != before) continue;
      return total + (since != 0 && now > since ? now - since : 0);
    }
  }

  // The ticks of wake-ups after which the CPU halted again without running a thread (closed
  // ones only: a wake-up in progress is not known to be empty yet). Under QEMU `-icount` with
  // sleep=off these are mostly timer ticks QEMU's clock warps reach while the CPU waits.
  uint64_t EmptyWakes() const {
    for (;;) {
      const uint64_t before = seq_.Load(MemoryOrder::kAcquire);
      if ((before & 1) != 0) {
        __builtin_ia32_pause();
        continue;
      }
      const uint64_t empty = empty_wakes_.Load(MemoryOrder::kRelaxed);
      ThreadFence(MemoryOrder::kAcquire);
      if (seq_.Load(MemoryOrder::kRelaxed) == before) return empty;
    }
  }

 private:
  template <typename Update>
  void Write(Update update) {
    seq_.Store(seq_.Load(MemoryOrder::kRelaxed) + 1, MemoryOrder::kRelaxed);  // odd
    ThreadFence(MemoryOrder::kRelease);
    update();
    seq_.Store(seq_.Load(MemoryOrder::kRelaxed) + 1, MemoryOrder::kRelease);  // even
  }

  Atomic<uint64_t> seq_;
  Atomic<uint64_t> total_;
  Atomic<uint64_t> since_;  // cycle counter at Begin; 0 while the CPU runs
  Atomic<uint64_t> empty_wakes_;
  uint64_t woke_ = 0;  // own CPU only: cycle counter at the last End, 0 once a thread ran
};

}  // namespace hiillos::arch
