// kernel/sched/timer_wheel.cc — TimerList and TimerWheel (timer_wheel.h).
#include "kernel/sched/timer_wheel.h"

namespace hiillos::sched {

void TimerList::PushBack(TimerNode* node) {
  node->owner = this;
  node->next = nullptr;
  node->prev = tail_;
  if (tail_ != nullptr) {
    tail_->next = node;
  } else {
    head_ = node;
  }
  tail_ = node;
}

void TimerList::Remove(TimerNode* node) {
  if (node->prev != nullptr) {
    node->prev->next = node->next;
  } else {
    head_ = node->next;
  }
  if (node->next != nullptr) {
    node->next->prev = node->prev;
  } else {
    tail_ = node->prev;
  }
  node->prev = node->next = nullptr;
  node->owner = nullptr;
}

TimerNode* TimerList::PopFront() {
  TimerNode* node = head_;
  if (node != nullptr) Remove(node);
  return node;
}

void TimerWheel::Add(TimerNode* node, uint64_t expires) {
  if (expires <= now_) expires = now_ + 1;
  node->expires = expires;
  uint64_t filed = expires - now_ > kMaxDelay ? now_ + kMaxDelay : expires;
  for (unsigned level = 0; level < kLevels; ++level) {
    unsigned shift = level * kLevelShift;
    uint64_t granule = uint64_t{1} << shift;
    // The slot that is emptied at the first tick of this level at or after `filed`. It is
    // after now's slot (filed > now_), and at most kSlots - 1 slots ahead it is not reached
    // early through wrap-around.
    uint64_t index = (filed + granule - 1) >> shift;
    uint64_t current = now_ >> shift;
    if (index - current < kSlots) {
      slots_[level][index & (kSlots - 1)].PushBack(node);
      return;
    }
  }
  // Beyond the top level: its farthest slot, re-filed when that comes up (Advance).
  unsigned shift = (kLevels - 1) * kLevelShift;
  uint64_t index = (now_ >> shift) + kSlots - 1;
  slots_[kLevels - 1][index & (kSlots - 1)].PushBack(node);
}

void TimerWheel::Cancel(TimerNode* node) {
  if (node->owner != nullptr) node->owner->Remove(node);
}

void TimerWheel::Advance(TimerList& due) {
  uint64_t tick = ++now_;
  for (unsigned level = 0; level < kLevels; ++level) {
    unsigned shift = level * kLevelShift;
    // A level's slot boundary is also every lower level's: stop at the first level whose
    // slot does not end here.
    if (level > 0 && (tick & ((uint64_t{1} << shift) - 1)) != 0) break;
    TimerList& slot = slots_[level][(tick >> shift) & (kSlots - 1)];
    while (TimerNode* node = slot.PopFront()) {
      if (node->expires <= tick) {
        due.PushBack(node);
      } else {
        Add(node, node->expires);  // clamped (beyond kMaxDelay or the top level): re-file
      }
    }
  }
}

}  // namespace hiillos::sched
