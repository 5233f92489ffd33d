// kernel/object/notify.h — Notify: asynchronous notification bits (a 64-bit word), as seL4's
// notification objects. Signal ORs bits in and never blocks (user space, and the IrqLine
// interrupt handler); Wait sleeps until some bit is set, then takes every set bit (returns them
// and clears the word); Poll takes them without sleeping.
//
// A signalled bit stays set until a Wait or Poll takes it, so a signal sent before the wait is
// never lost (the shared-memory ring's wake-up protocol relies on this, docs/protocols/ring.md).
// Several signals before a wait merge into one word. With several waiters, each signal wakes
// one; whoever runs first takes the bits, the others sleep again.
//
// Waiting is interruptible: a ThreadStop or kill of the waiter ends the wait (Wait returns 0
// bits and takes nothing, WaitUntil kInterrupted), so a stopped or killed thread never stays
// asleep here. WaitUntil also ends at a deadline on the cycle counter (kTimedOut, taking
// nothing); the timer lives in the waiting thread, so it allocates nothing.
//
// Ownership: references (capability slots, IrqLines bound to it, syscalls in progress: a waiter's
// syscall holds one, so the object outlives its sleepers). Its memory is charged to the Memory
// it was allocated from. Locking: the bits are guarded by the wait queue's lock (interrupts
// off), so interrupt handlers may signal.
#pragma once

#include <stdint.h>

#include "kernel/object/kernel_object.h"
#include "kernel/object/memory.h"
#include "kernel/object/ref.h"
#include "kernel/result/kresult.h"
#include "kernel/sched/wait_queue.h"
#include "uapi/object_type.h"

namespace hiillos::object {

class Notify : public KernelObject {
 public:
  static constexpr uapi::ObjectType kObjectType = uapi::ObjectType::kNotify;

  // A Notify with no bit set, charged to `memory`. Errors: kOutOfMemory.
  static KResult<Ref<Notify>> Create(const Ref<Memory>& memory);
  static void Destroy(Notify* notify);

  // Sets `bits` and wakes one waiter if the word was empty. Any context (interrupt handlers
  // included), no lock of the caller's held other than those ordered before wait queues.
  void Signal(uint64_t bits);
  // Sleeps until a bit is set, then returns and clears every set bit. Returns 0 (taking
  // nothing) when a stop or kill request of the calling thread ended the wait. Thread context.
  uint64_t Wait();
  // Like Wait(), until the cycle counter reaches `deadline_tsc`: the bits (non-zero), or
  // kTimedOut when the deadline came first (at once if it has passed and no bit is set), or
  // kInterrupted when a stop or kill request ended the wait. Set bits win over a passed
  // deadline. Thread context.
  KResult<uint64_t> WaitUntil(uint64_t deadline_tsc);
  // Returns and clears every set bit; 0 when none is set. Never sleeps.
  uint64_t Poll();

 private:
  explicit Notify(MemoryCharge charge) : KernelObject(kObjectType), charge_(Move(charge)) {}
  ~Notify() = default;

  sched::WaitQueue waiters_;
  uint64_t bits_ = 0;  // waiters_'s lock
  MemoryCharge charge_;
};

}  // namespace hiillos::object
