// kernel/sched/run_queue.h — RunQueue: one CPU's ready threads, a FIFO per priority level.
//
// Not synchronised itself: each instance belongs to one CPU's scheduler record (cpu_sched.h)
// and is guarded by that record's lock. O(1) push/remove/pick (a bit per non-empty level).
#pragma once

#include <stdint.h>

#include "kernel/sched/thread_list.h"
#include "uapi/syscalls.h"

namespace hiillos::sched {

// Priority levels: user threads use 0..uapi::kMaxPriority (bounded by their process's maximum,
// object/process.h); one more level above them, kKernelPriority, is for the kernel's own
// threads (the reaper), so no user thread can keep them from running. Idle contexts are not
// queued at all: a CPU runs its idle loop only when no level has a thread.
inline constexpr unsigned kKernelPriority = uapi::kPriorityLevels;
inline constexpr unsigned kPriorityLevels = uapi::kPriorityLevels + 1;

class RunQueue {
 public:
  constexpr RunQueue() = default;
  RunQueue(const RunQueue&) = delete;
  RunQueue& operator=(const RunQueue&) = delete;

  // Appends `link` to the FIFO of `priority` (< kPriorityLevels). Precondition: not queued.
  void Push(ThreadLink* link, unsigned priority) {
    levels_[priority].PushBack(link);
    nonempty_ |= 1u << priority;
    ++count_;
  }
  // Precondition: `link` is in this queue.
  void Remove(ThreadLink* link) {
    ThreadList* level = link->owner;
    level->Remove(link);
    if (level->empty()) nonempty_ &= ~(1u << static_cast<unsigned>(level - levels_));
    --count_;
  }
  bool Contains(const ThreadLink* link) const {
    for (const ThreadList& level : levels_) {
      if (link->owner == &level) return true;
    }
    return false;
  }
  // The first thread of the highest non-empty level, removed; nullptr if empty.
  ThreadLink* PopHighest() {
    const int level = HighestPriority();
    if (level < 0) return nullptr;
    ThreadLink* link = levels_[level].PopFront();
    if (levels_[level].empty()) nonempty_ &= ~(1u << level);
    --count_;
    return link;
  }
  // Highest level with a thread, -1 if empty.
  int HighestPriority() const { return nonempty_ == 0 ? -1 : 31 - __builtin_clz(nonempty_); }
  // The first thread, highest level first, for which allowed(link) is true (not removed).
  template <typename Predicate>
  ThreadLink* FindFirst(Predicate allowed) const {
    for (int level = kLevels - 1; level >= 0; --level) {
      for (ThreadLink* link = levels_[level].front(); link != nullptr; link = link->next) {
        if (allowed(link)) return link;
      }
    }
    return nullptr;
  }
  uint32_t count() const { return count_; }

 private:
  static constexpr int kLevels = static_cast<int>(kPriorityLevels);
  static_assert(kPriorityLevels <= 32, "one bit of nonempty_ per level");
  ThreadList levels_[kPriorityLevels];
  uint32_t nonempty_ = 0;  // bit n: levels_[n] has a thread
  uint32_t count_ = 0;
};

}  // namespace hiillos::sched
