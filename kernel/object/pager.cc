// kernel/object/pager.cc — user-space pagers: fault queue, waits, pager links (pager.h).
#include "kernel/object/pager.h"

#include "kernel/object/notify.h"
#include "kernel/object/process.h"
#include "kernel/object/vmem.h"
#include "kernel/panic/assert.h"

namespace hiillos::object {

// --- FaultList ----------------------------------------------------------------------------------

void FaultList::PushBack(PageFaultWait* record) {
  record->prev_ = tail_;
  record->next_ = nullptr;
  if (tail_ != nullptr) {
    tail_->next_ = record;
  } else {
    head_ = record;
  }
  tail_ = record;
}

void FaultList::PushFront(PageFaultWait* record) {
  record->prev_ = nullptr;
  record->next_ = head_;
  if (head_ != nullptr) {
    head_->prev_ = record;
  } else {
    tail_ = record;
  }
  head_ = record;
}

void FaultList::Remove(PageFaultWait* record) {
  if (record->prev_ != nullptr) {
    record->prev_->next_ = record->next_;
  } else {
    head_ = record->next_;
  }
  if (record->next_ != nullptr) {
    record->next_->prev_ = record->prev_;
  } else {
    tail_ = record->prev_;
  }
  record->prev_ = nullptr;
  record->next_ = nullptr;
}

PageFaultWait* FaultList::Find(uint64_t token) const {
  for (PageFaultWait* record = head_; record != nullptr; record = record->next_) {
    if (record->fault_.token == token) return record;
  }
  return nullptr;
}

// --- VmemPager ----------------------------------------------------------------------------------

void VmemPager::Finish(PageFaultWait& record, PageFaultWait::State state) {
  sched::WaitQueueGuard guard(record.wait_);
  record.state_ = state;
  guard.WakeOne();
}

FaultOutcome VmemPager::Wait(PageFaultWait& wait, uint64_t address, uint64_t access) {
  using State = PageFaultWait::State;
  Ref<Notify> notify;
  uint64_t bits = 0;
  lock_.Lock();
  if (!pager_) {
    lock_.Unlock();
    return FaultOutcome::kNoPager;
  }
  {
    sched::WaitQueueGuard guard(wait.wait_);
    wait.fault_ = {address, access, next_token_++};
    wait.state_ = State::kQueued;
  }
  queued_.PushBack(&wait);
  notify = notify_;
  bits = bits_;
  lock_.Unlock();
  notify->Signal(bits);
  notify.reset();

  State state;
  {
    sched::WaitQueueGuard guard(wait.wait_);
    while (wait.state_ == State::kQueued || wait.state_ == State::kTaken) {
      if (!guard.BlockInterruptible()) break;
    }
    state = wait.state_;
  }
  if (state == State::kQueued || state == State::kTaken) {
    // Stopped or killed while waiting: take the record back unless a resolver finished it
    // meanwhile (it did so under lock_, which this also takes before the thread may go).
    lock_.Lock();
    {
      sched::WaitQueueGuard guard(wait.wait_);
      state = wait.state_;
      if (state == State::kQueued || state == State::kTaken) {
        (state == State::kQueued ? queued_ : taken_).Remove(&wait);
        wait.state_ = State::kIdle;
        state = State::kRetry;  // the stop or kill takes effect before the access is retried
      }
    }
    lock_.Unlock();
  }
  {
    sched::WaitQueueGuard guard(wait.wait_);
    wait.state_ = State::kIdle;
  }
  return state == State::kRetry ? FaultOutcome::kRetry : FaultOutcome::kRefused;
}

KResult<uapi::PageFault> VmemPager::Take() {
  lock_.Lock();
  PageFaultWait* record = queued_.front();
  if (record == nullptr) {
    lock_.Unlock();
    return Err(uapi::Status::kWouldBlock);
  }
  queued_.Remove(record);
  taken_.PushBack(record);
  {
    sched::WaitQueueGuard guard(record->wait_);
    record->state_ = PageFaultWait::State::kTaken;
  }
  uapi::PageFault fault = record->fault_;
  lock_.Unlock();
  return fault;
}

void VmemPager::Untake(uint64_t token) {
  lock_.Lock();
  if (PageFaultWait* record = taken_.Find(token); record != nullptr) {
    taken_.Remove(record);
    queued_.PushFront(record);
    sched::WaitQueueGuard guard(record->wait_);
    record->state_ = PageFaultWait::State::kQueued;
  }
  lock_.Unlock();
}

KResult<void> VmemPager::Resolve(uint64_t token, bool retry) {
  lock_.Lock();
  FaultList* list = &taken_;
  PageFaultWait* record = taken_.Find(token);
  if (record == nullptr) {
    list = &queued_;
    record = queued_.Find(token);
  }
  if (record == nullptr) {
    lock_.Unlock();
    return Err(uapi::Status::kDead);
  }
  list->Remove(record);
  Finish(*record, retry ? PageFaultWait::State::kRetry : PageFaultWait::State::kRefused);
  lock_.Unlock();
  return Ok();
}

bool VmemPager::has_pager() {
  lock_.Lock();
  bool has = static_cast<bool>(pager_);
  lock_.Unlock();
  return has;
}

bool VmemPager::Attach(Process* pager, Ref<Notify> notify, uint64_t bits) {
  lock_.Lock();
  bool attached = !pager_;
  if (attached) {
    pager_ = Ref<Process>::Retain(pager);
    notify_ = Move(notify);
    bits_ = bits;
  }
  lock_.Unlock();
  return attached;
}

VmemPager::Detached VmemPager::Detach(Process* pager) {
  Detached detached;
  lock_.Lock();
  if (pager_.get() == pager) {
    detached.pager = Move(pager_);
    detached.notify = Move(notify_);
    bits_ = 0;
    FaultList* lists[] = {&queued_, &taken_};
    for (FaultList* list : lists) {
      while (PageFaultWait* record = list->front()) {
        list->Remove(record);
        Finish(*record, PageFaultWait::State::kRefused);
      }
    }
  }
  lock_.Unlock();
  return detached;
}

Ref<Process> VmemPager::pager() {
  lock_.Lock();
  Ref<Process> pager = pager_;
  lock_.Unlock();
  return pager;
}

// --- PagedVmems ---------------------------------------------------------------------------------

KResult<void> PagedVmems::Attach(Process& owner, Vmem& vmem, Ref<Notify> notify, uint64_t bits) {
  lock_.Lock();
  if (closed_) {
    lock_.Unlock();
    return Err(uapi::Status::kDead);
  }
  VmemPager& pager = vmem.pager();
  if (!pager.Attach(&owner, Move(notify), bits)) {
    lock_.Unlock();
    return Err(uapi::Status::kBusy);
  }
  pager.link_ref_ = Ref<Vmem>::Retain(&vmem);
  pager.link_prev_ = nullptr;
  pager.link_next_ = head_;
  if (head_ != nullptr) head_->pager().link_prev_ = &vmem;
  head_ = &vmem;
  lock_.Unlock();
  return Ok();
}

Ref<Vmem> PagedVmems::UnlinkLocked(Vmem& vmem) {
  VmemPager& pager = vmem.pager();
  if (!pager.link_ref_) return nullptr;
  if (pager.link_prev_ != nullptr) {
    pager.link_prev_->pager().link_next_ = pager.link_next_;
  } else {
    head_ = pager.link_next_;
  }
  if (pager.link_next_ != nullptr) pager.link_next_->pager().link_prev_ = pager.link_prev_;
  pager.link_prev_ = nullptr;
  pager.link_next_ = nullptr;
  return Move(pager.link_ref_);
}

KResult<void> PagedVmems::Clear(Vmem& vmem) {
  Ref<Process> owner = vmem.pager().pager();
  if (!owner) return Err(uapi::Status::kNotMapped);
  PagedVmems& paged = owner->paged_vmems();
  paged.lock_.Lock();
  Ref<Vmem> link = paged.UnlinkLocked(vmem);
  paged.lock_.Unlock();
  // Without the link, the owner's DetachAll got there first (it detaches on its own).
  if (!link) return Err(uapi::Status::kNotMapped);
  VmemPager::Detached detached = vmem.pager().Detach(owner.get());
  return Ok();  // `detached`, `link` and `owner` drop here, no lock held
}

void PagedVmems::DetachAll(Process& owner) {
  for (;;) {
    lock_.Lock();
    closed_ = true;
    Ref<Vmem> link = head_ != nullptr ? UnlinkLocked(*head_) : nullptr;
    lock_.Unlock();
    if (!link) return;
    VmemPager::Detached detached = link->pager().Detach(&owner);
  }
}

}  // namespace hiillos::object
