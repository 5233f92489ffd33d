// kernel/object/notify.cc — Notify: creation, signal, wait and poll.
#include "kernel/object/notify.h"

#include "kernel/mm/object_allocator.h"
#include "lib/base/placement_new.h"

namespace hiillos::object {

KResult<Ref<Notify>> Notify::Create(const Ref<Memory>& memory) {
  MemoryCharge charge = TRY(Memory::Charge(memory, sizeof(Notify)));
  auto storage = mm::ObjectAlloc(sizeof(Notify));
  if (!storage.ok()) return Err(uapi::Status::kOutOfMemory);
  return AdoptRef(new (storage.value()) Notify(Move(charge)));
}

void Notify::Destroy(Notify* notify) {
  notify->~Notify();  // refunds the charge
  mm::ObjectFree(notify, sizeof(Notify));
}

void Notify::Signal(uint64_t bits) {
  sched::WaitQueueGuard guard(waiters_);
  bool was_empty = bits_ == 0;
  bits_ |= bits;
  // A waiter sleeps only while the word is empty, so only the first signal needs to wake one.
  if (was_empty && bits_ != 0) guard.WakeOne();
}

uint64_t Notify::Wait() {
  sched::WaitQueueGuard guard(waiters_);
  while (bits_ == 0) {
    if (!guard.BlockInterruptible()) {
      // Another waiter may have been meant to get the bits this one was woken for.
      if (bits_ != 0) guard.WakeOne();
      return 0;
    }
  }
  uint64_t taken = bits_;
  bits_ = 0;
  return taken;
}

KResult<uint64_t> Notify::WaitUntil(uint64_t deadline_tsc) {
  sched::WaitQueueGuard guard(waiters_);
  while (bits_ == 0) {
    switch (guard.BlockInterruptibleUntil(deadline_tsc)) {
      case sched::WaitResult::kWoken:
        break;
      case sched::WaitResult::kInterrupted:
        // As in Wait: another waiter may have been meant to get the bits.
        if (bits_ != 0) guard.WakeOne();
        return Err(uapi::Status::kInterrupted);
      case sched::WaitResult::kTimedOut:
        if (bits_ != 0) break;  // signalled meanwhile: take them
        return Err(uapi::Status::kTimedOut);
    }
  }
  uint64_t taken = bits_;
  bits_ = 0;
  return taken;
}

uint64_t Notify::Poll() {
  sched::WaitQueueGuard guard(waiters_);
  uint64_t taken = bits_;
  bits_ = 0;
  return taken;
}

}  // namespace hiillos::object
