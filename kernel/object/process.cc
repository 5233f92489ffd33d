// kernel/object/process.cc — Process: creation, live-thread count and teardown.
#include "kernel/object/process.h"

#include "kernel/mm/object_allocator.h"
#include "kernel/object/object_events.h"
#include "kernel/panic/assert.h"
#include "kernel/result/kresult.h"
#include "lib/base/placement_new.h"

namespace hiillos::object {
namespace {

// 0 is never a process id. 64-bit: at one process per nanosecond it would take 584 years to
// wrap, so ids are unique for the kernel's run and nothing checks for wrapping.
Atomic<uint64_t> g_next_id{1};

}  // namespace

Process::Process(uint64_t id, Ref<Vmem> vmem, MemoryCharge charge)
    : KernelObject(kObjectType), id_(id), vmem_(Move(vmem)), charge_(Move(charge)) {
  threads_.prev = threads_.next = &threads_;
  killed_threads_.prev = killed_threads_.next = &killed_threads_;
  cap_owner_.id = id;
  cap_owner_.budget = &charge_.memory()->budget();
}

KResult<Ref<Process>> Process::Create(const Ref<Memory>& memory, Ref<Vmem> vmem) {
  if (!vmem) return Err(uapi::Status::kInvalidArgument);
  MemoryCharge charge = TRY(Memory::Charge(memory, sizeof(Process)));
  auto storage = mm::ObjectAlloc(sizeof(Process));
  if (!storage.ok()) return Err(uapi::Status::kOutOfMemory);
  uint64_t id = g_next_id.FetchAdd(1, MemoryOrder::kRelaxed);
  return AdoptRef(new (storage.value()) Process(id, Move(vmem), Move(charge)));
}

void Process::Destroy(Process* process) {
  // Normally its capabilities went with its last thread; a process that never ran a thread
  // may still own some (given to it with ProcessGiveCap): they go now.
  ReportProcessDead(process->cap_owner_);
  process->paged_vmems_.DetachAll(*process);
  process->~Process();  // drops the Vmem and refunds the object
  mm::ObjectFree(process, sizeof(Process));
}

bool Process::ThreadStarted() {
  uint32_t count = live_threads_.Load(MemoryOrder::kAcquire);
  do {
    if ((count & (kDeadBit | kKillBit)) != 0) return false;
  } while (!live_threads_.CompareExchange(count, count + 1, MemoryOrder::kAcqRel,
                                          MemoryOrder::kAcquire));
  return true;
}

void Process::ThreadExited() {
  uint32_t count = live_threads_.Load(MemoryOrder::kAcquire);
  uint32_t next;
  do {
    ASSERT((count & kCountMask) != 0 && (count & kDeadBit) == 0,
           "Process: more thread exits than starts");
    // The last live thread: the count and the death change in one step.
    next = (count & kCountMask) == 1 ? kDeadBit : count - 1;
  } while (
      !live_threads_.CompareExchange(count, next, MemoryOrder::kAcqRel, MemoryOrder::kAcquire));
  if (next != kDeadBit) return;
  ReportProcessDead(cap_owner_);
  paged_vmems_.DetachAll(*this);  // faults waiting for this pager are refused
  if (death_hook_ != nullptr) death_hook_(*this);
}

namespace {

void Unlink(ProcessThreadLink& link) {
  link.prev->next = link.next;
  link.next->prev = link.prev;
  link.prev = link.next = nullptr;
}

void PushBack(ProcessThreadLink& list, ProcessThreadLink& link) {
  link.prev = list.prev;
  link.next = &list;
  list.prev->next = &link;
  list.prev = &link;
}

}  // namespace

KResult<void> Process::AddThread(ProcessThreadLink& link) {
  SpinLockGuard guard(threads_lock_);
  // Kill sets the bit before it scans (under this lock), so a thread listed here after the scan
  // cannot exist: it is refused instead.
  if ((live_threads_.Load(MemoryOrder::kAcquire) & (kDeadBit | kKillBit)) != 0) {
    return Err(uapi::Status::kDead);
  }
  link.kill_sent = false;
  PushBack(threads_, link);
  return Ok();
}

void Process::RemoveThread(ProcessThreadLink& link) {
  SpinLockGuard guard(threads_lock_);
  if (link.next != nullptr) Unlink(link);
}

bool Process::MarkKilled() {
  uint32_t count = live_threads_.Load(MemoryOrder::kAcquire);
  do {
    if ((count & (kDeadBit | kKillBit)) != 0) return false;
  } while (!live_threads_.CompareExchange(count, count | kKillBit, MemoryOrder::kAcqRel,
                                          MemoryOrder::kAcquire));
  return true;
}

size_t Process::TakeThreadsToKill(Ref<KernelObject>* out, size_t max) {
  SpinLockGuard guard(threads_lock_);
  size_t taken = 0;
  while (taken < max && threads_.next != &threads_) {
    ProcessThreadLink& link = *threads_.next;
    Unlink(link);
    link.kill_sent = true;
    PushBack(killed_threads_, link);
    // A thread in destruction (no reference left) runs nowhere: nothing to kill.
    out[taken] = Ref<KernelObject>::TryRetain(link.thread);
    if (out[taken]) ++taken;
  }
  return taken;
}

void Process::DieIfNoThreads() {
  uint32_t killed = kKillBit;
  if (live_threads_.CompareExchange(killed, kDeadBit, MemoryOrder::kAcqRel,
                                    MemoryOrder::kAcquire)) {
    ReportProcessDead(cap_owner_);
    if (death_hook_ != nullptr) death_hook_(*this);
  }
}

}  // namespace hiillos::object
