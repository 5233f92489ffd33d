// kernel/sched/timer_wheel.h — TimerWheel: a per-CPU queue of deadlines counted in ticks, with
// O(1) insertion and removal and per-tick work proportional to the timers that fire (no
// allocation: the TimerNode lives in whatever waits, a thread's ThreadSched).
//
// Layout (a hierarchical wheel without cascading): kLevels levels of kSlots slots; a slot of
// level L spans 8^L ticks. A timer goes to the lowest level whose slots, counted from now, reach
// its expiry rounded up to that level's granularity; that slot is emptied exactly at the rounded
// tick. So a timer never fires before its tick, and fires at most one granularity late, which
// is below 1/8 of its delay beyond the first level (level 0 is exact for delays under 64 ticks).
// Expiries beyond the top level's reach go to its farthest slot and are re-filed when it comes
// up (once every ~2 million ticks).
//
// Not thread-safe: the owner (kernel/sched/wait_queue.cc, the CPU's timer lock) serialises every
// call. Pure logic, host-tested (timer_wheel_test.cc).
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace hiillos::sched {

class TimerList;

struct TimerNode {
  TimerNode* prev = nullptr;
  TimerNode* next = nullptr;
  TimerList* owner = nullptr;  // the list holding this node (a wheel slot or a due list)
  uint64_t expires = 0;        // tick at or after which it fires
};

// An intrusive doubly linked FIFO of TimerNodes.
class TimerList {
 public:
  constexpr TimerList() = default;
  TimerList(const TimerList&) = delete;
  TimerList& operator=(const TimerList&) = delete;

  bool empty() const { return head_ == nullptr; }
  // Precondition: node->owner == nullptr.
  void PushBack(TimerNode* node);
  // Precondition: node->owner == this.
  void Remove(TimerNode* node);
  TimerNode* PopFront();

 private:
  TimerNode* head_ = nullptr;
  TimerNode* tail_ = nullptr;
};

class TimerWheel {
 public:
  static constexpr unsigned kLevels = 6;
  static constexpr unsigned kSlotBits = 6;
  static constexpr unsigned kSlots = 1u << kSlotBits;
  static constexpr unsigned kLevelShift = 3;  // each level's slot spans 8x the one below
  // Expiries further than this from now are clamped to it when filed (they are re-filed later).
  static constexpr uint64_t kMaxDelay = uint64_t{1} << 40;

  constexpr TimerWheel() = default;
  TimerWheel(const TimerWheel&) = delete;
  TimerWheel& operator=(const TimerWheel&) = delete;

  // The last tick Advance() processed (0 before the first).
  uint64_t now() const { return now_; }
  // Files `node` (not in any list) to fire at tick `expires`; an expiry not after now() fires
  // at the next Advance().
  void Add(TimerNode* node, uint64_t expires);
  // Takes `node` out of whatever list holds it (a slot, or a due list the owner keeps under
  // the same lock); nothing if it is in none.
  static void Cancel(TimerNode* node);
  // Processes tick now() + 1: moves every timer whose expiry is at or before it into `due`.
  void Advance(TimerList& due);

 private:
  uint64_t now_ = 0;
  TimerList slots_[kLevels][kSlots];
};

}  // namespace hiillos::sched
