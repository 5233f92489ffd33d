// kernel/sched/thread_list.h — ThreadLink and ThreadList: the intrusive FIFO of threads used by
// run queues and wait queues (no allocation on scheduling paths).
//
// A thread has one link, so it sits in at most one list (a run queue while ready, a wait queue
// while blocked). The list that holds a link guards it: a link is only touched under the lock
// of the list it is in.
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace hiillos::sched {
class Thread;  // thread.h
}

namespace hiillos::sched {

class ThreadList;

struct ThreadLink {
  ThreadLink* prev = nullptr;
  ThreadLink* next = nullptr;
  ThreadList* owner = nullptr;  // the list holding this link, nullptr if none
  Thread* thread = nullptr;
};

class ThreadList {
 public:
  constexpr ThreadList() = default;
  ThreadList(const ThreadList&) = delete;
  ThreadList& operator=(const ThreadList&) = delete;

  bool empty() const { return head_ == nullptr; }
  uint32_t size() const { return size_; }
  ThreadLink* front() const { return head_; }

  // Precondition: link->owner == nullptr.
  void PushBack(ThreadLink* link) {
    link->owner = this;
    link->next = nullptr;
    link->prev = tail_;
    if (tail_ != nullptr) {
      tail_->next = link;
    } else {
      head_ = link;
    }
    tail_ = link;
    ++size_;
  }

  // Precondition: link->owner == this.
  void Remove(ThreadLink* link) {
    if (link->prev != nullptr) {
      link->prev->next = link->next;
    } else {
      head_ = link->next;
    }
    if (link->next != nullptr) {
      link->next->prev = link->prev;
    } else {
      tail_ = link->prev;
    }
    link->prev = link->next = nullptr;
    link->owner = nullptr;
    --size_;
  }

  ThreadLink* PopFront() {
    ThreadLink* link = head_;
    if (link != nullptr) Remove(link);
    return link;
  }

 private:
  ThreadLink* head_ = nullptr;
  ThreadLink* tail_ = nullptr;
  uint32_t size_ = 0;
};

}  // namespace hiillos::sched
