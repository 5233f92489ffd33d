// lib/base/work_stack.h — WorkStack: one execution context's list of deferred work items
// (intrusive, no allocation), and RunOrDefer, which turns nested work into a loop.
//
// The problem it solves: destroying an object can drop the last reference to another object,
// whose destruction drops another, ... A chain of N objects would recurse N deep and overflow
// a kernel stack. With RunOrDefer the outermost call runs the item and then every item that
// was deferred meanwhile, one after another; a call made while that context is already running
// work only pushes its item and returns. Stack depth stays constant at any chain length.
//
// Ownership: a WorkStack belongs to one execution context (a kernel thread, a CPU's idle/boot
// context, a host thread). Only that context and interrupt handlers running on top of it
// (same CPU, nested, never concurrent with it on another CPU) use it; the atomics make an
// interrupt that lands between any two steps harmless. Items are owned by whoever pushed them
// until `run` is called on them; `run` may push more (directly or through nested RunOrDefer).
#pragma once

#include "lib/base/atomic.h"

namespace hiillos {

// Embedded in each item that may wait in a WorkStack (e.g. every kernel object).
struct WorkLink {
  WorkLink* next = nullptr;
};

class WorkStack {
 public:
  constexpr WorkStack() = default;
  WorkStack(const WorkStack&) = delete;
  WorkStack& operator=(const WorkStack&) = delete;

  // Runs run(item) now if this context is not already running work; otherwise queues `item`
  // for the outermost call, which runs it before returning. Either way, when the outermost call
  // returns, every item pushed during it has been run. `run(WorkLink*)` must not block forever
  // on work queued behind it.
  template <typename Run>
  void RunOrDefer(WorkLink* item, Run run) {
    Push(item);
    if (running_.Exchange(true, MemoryOrder::kAcquire)) return;  // nested: the outer call runs it
    for (;;) {
      // Take everything queued so far; items pushed while these run are taken next round.
      WorkLink* batch = head_.Exchange(nullptr, MemoryOrder::kAcquire);
      while (batch != nullptr) {
        WorkLink* next = batch->next;
        batch->next = nullptr;
        run(batch);  // may push (it runs with running_ set, so nested calls only queue)
        batch = next;
      }
      if (head_.Load(MemoryOrder::kAcquire) != nullptr) continue;
      running_.Store(false, MemoryOrder::kRelease);
      // An interrupt may have queued an item after the check and before the store above, seen
      // running_ set and left it to us: look again.
      if (head_.Load(MemoryOrder::kAcquire) == nullptr) return;
      if (running_.Exchange(true, MemoryOrder::kAcquire)) return;  // an interrupt ran it all
    }
  }

  // True while an outermost RunOrDefer is running items (nested calls only queue).
  bool running() const { return running_.Load(MemoryOrder::kRelaxed); }
  bool empty() const { return head_.Load(MemoryOrder::kRelaxed) == nullptr; }

 private:
  void Push(WorkLink* item) {
    WorkLink* head = head_.Load(MemoryOrder::kRelaxed);
    do {
      item->next = head;
    } while (!head_.CompareExchange(head, item, MemoryOrder::kRelease, MemoryOrder::kRelaxed));
  }

  Atomic<WorkLink*> head_;
  Atomic<bool> running_;
};

}  // namespace hiillos
