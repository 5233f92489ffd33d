// kernel/object/pager.h — user-space pagers: a Vmem's fault queue (VmemPager), the fault
// record each user thread carries (PageFaultWait), and the link between a pager process and the
// Vmems it serves (PagedVmems). docs/syscalls.md "Pagers" has the user-visible rules.
//
// A Vmem may name a pager (VmemSetPager: a Notify, the bits to signal, and the calling process
// as the pager). A user page fault on a not-present page of an address space with a pager
// blocks the faulting thread: its record (in the thread, no allocation) is queued on the Vmem
// with a fresh token and the Notify is signalled. The pager takes records (VmemTakeFault moves
// one from the queued list to the taken list) and resolves them by token (VmemResolveFault):
// retry (the thread re-executes the access) or refuse (the thread dies as for an unhandled
// fault). A write to a present read-only page, or any fault without a pager, never reaches the
// pager: the thread is killed as before.
//
// Lifetimes: the pager process holds a reference to each Vmem it serves (PagedVmems) until it
// detaches (VmemClearPager) or dies; then every record still queued or taken on that Vmem is
// refused (the waiting threads die with a page fault) and faults kill again. A Vmem never goes
// while a thread faults in it (the thread's process references it). A faulting thread that is
// stopped or killed takes its record off the lists itself before it leaves the wait: no list
// ever holds the record of a thread that is not waiting. A stopped thread re-executes the
// access (and faults again) when it is restarted.
//
// Who pays: nothing is allocated. The record lives in the thread, the queue and the link in the
// Vmem; the pager's references are to objects that already exist.
//
// Locking: PagedVmems::lock_ → VmemPager::lock_ → a record's wait-queue lock (→ run-queue
// locks). The Notify is signalled with no pager lock held. A record's `state` is written only
// with its Vmem's pager lock and its wait-queue lock both held, and read under either. Token
// look-ups walk the taken list with the pager lock (a SpinLock: interrupts stay on); its length
// is at most the number of threads faulting in that Vmem at once.
#pragma once

#include <stdint.h>

#include "kernel/arch/spinlock.h"
#include "kernel/object/ref.h"
#include "kernel/result/kresult.h"
#include "kernel/sched/wait_queue.h"
#include "lib/base/thread_annotations.h"
#include "uapi/syscalls.h"

namespace hiillos::object {

class Notify;
class Process;
class Vmem;
class VmemPager;

// The fault record of one thread (embedded in object::Thread). Its lists are its Vmem's.
class PageFaultWait {
 public:
  enum class State : uint8_t { kIdle, kQueued, kTaken, kRetry, kRefused };

 private:
  friend class VmemPager;
  friend class FaultList;
  PageFaultWait* prev_ = nullptr;
  PageFaultWait* next_ = nullptr;
  uapi::PageFault fault_{};
  State state_ = State::kIdle;
  sched::WaitQueue wait_;
};

// A FIFO of records (pager lock).
class FaultList {
 public:
  bool empty() const { return head_ == nullptr; }
  PageFaultWait* front() const { return head_; }
  void PushBack(PageFaultWait* record);
  void PushFront(PageFaultWait* record);
  void Remove(PageFaultWait* record);
  PageFaultWait* Find(uint64_t token) const;

 private:
  PageFaultWait* head_ = nullptr;
  PageFaultWait* tail_ = nullptr;
};

// What the fault path does with the thread after VmemPager::Wait.
enum class FaultOutcome : uint8_t {
  kNoPager,  // not handled: the thread dies as for an unhandled fault
  kRetry,    // resolved (or the wait was interrupted): re-enter user mode at the access
  kRefused,  // the pager refused or went away: the thread dies
};

// A Vmem's pager state (embedded in Vmem).
class VmemPager {
 public:
  // Blocks the calling thread (record `wait`) until the pager resolves the fault, the pager
  // goes, or the thread is stopped or killed (kRetry then: the stop or kill takes effect on
  // the way back to user mode). Thread context, no lock held.
  FaultOutcome Wait(PageFaultWait& wait, uint64_t address, uint64_t access) TA_EXCLUDES(lock_);

  // The oldest queued fault moves to the taken list; its record in *out. Errors: kWouldBlock.
  KResult<uapi::PageFault> Take() TA_EXCLUDES(lock_);
  // Undoes Take for `token` (copying the record out failed): back to the queue's front if it is
  // still taken.
  void Untake(uint64_t token) TA_EXCLUDES(lock_);
  // Ends the wait named by `token` (queued or taken). Errors: kDead (no such wait: resolved
  // already, or its thread was stopped or killed, or never existed).
  KResult<void> Resolve(uint64_t token, bool retry) TA_EXCLUDES(lock_);

  bool has_pager() TA_EXCLUDES(lock_);

 private:
  friend class PagedVmems;
  friend class Vmem;

  // Attaches `pager` (a PagedVmems link is being made under its lock). False if one is set.
  bool Attach(Process* pager, Ref<Notify> notify, uint64_t bits) TA_EXCLUDES(lock_);
  // What Detach hands back for the caller to drop with no lock held.
  struct Detached {
    Ref<Notify> notify;
    Ref<Process> pager;
  };
  // Detaches if `pager` is the pager: refuses every record.
  Detached Detach(Process* pager) TA_EXCLUDES(lock_);
  Ref<Process> pager() TA_EXCLUDES(lock_);
  // Marks `record` final and wakes its thread.
  void Finish(PageFaultWait& record, PageFaultWait::State state) TA_REQUIRES(lock_);

  SpinLock lock_;
  // The pager and its Vmem reference each other until Detach (the pager's death or
  // VmemClearPager): the cycle never outlives the pager process.
  Ref<Process> pager_ TA_GUARDED(lock_);
  Ref<Notify> notify_ TA_GUARDED(lock_);
  uint64_t bits_ TA_GUARDED(lock_) = 0;
  uint64_t next_token_ TA_GUARDED(lock_) = 1;
  FaultList queued_ TA_GUARDED(lock_);
  FaultList taken_ TA_GUARDED(lock_);

  // The pager process's list of Vmems it serves (that PagedVmems's lock): links and the
  // list's reference to this Vmem.
  Vmem* link_prev_ = nullptr;
  Vmem* link_next_ = nullptr;
  Ref<Vmem> link_ref_;
};

// The Vmems a process pages (embedded in Process). Each link holds a Ref<Vmem>.
class PagedVmems {
 public:
  // Makes `owner` the pager of `vmem`. Errors: kBusy (the Vmem has a pager), kDead (`owner` is
  // dying).
  KResult<void> Attach(Process& owner, Vmem& vmem, Ref<Notify> notify, uint64_t bits)
      TA_EXCLUDES(lock_);
  // Removes `vmem`'s pager, whichever process it is. Errors: kNotMapped (it has none).
  static KResult<void> Clear(Vmem& vmem);
  // The owner is dying: detach from every Vmem; no attach succeeds any more. Thread context,
  // no lock held.
  void DetachAll(Process& owner) TA_EXCLUDES(lock_);

 private:
  // Unlinks `vmem` if it is linked here; the list's reference to it (null if it was not).
  Ref<Vmem> UnlinkLocked(Vmem& vmem) TA_REQUIRES(lock_);

  SpinLock lock_;
  Vmem* head_ TA_GUARDED(lock_) = nullptr;
  bool closed_ TA_GUARDED(lock_) = false;
};

}  // namespace hiillos::object
