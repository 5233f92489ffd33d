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
    if ((count & kDeadBit) != 0) return false;
  } while (!live_threads_.CompareExchange(count, count + 1, MemoryOrder::kAcqRel,
                                          MemoryOrder::kAcquire));
  return true;
}

void Process::ThreadExited() {
  uint32_t count = live_threads_.Load(MemoryOrder::kAcquire);
  uint32_t next;
  do {
    ASSERT((count & ~kDeadBit) != 0 && (count & kDeadBit) == 0,
           "Process: more thread exits than starts");
    // The last live thread: the count and the death change in one step.
    next = count == 1 ? kDeadBit : count - 1;
  } while (
      !live_threads_.CompareExchange(count, next, MemoryOrder::kAcqRel, MemoryOrder::kAcquire));
  if (next != kDeadBit) return;
  ReportProcessDead(cap_owner_);
  paged_vmems_.DetachAll(*this);  // faults waiting for this pager are refused
  if (death_hook_ != nullptr) death_hook_(*this);
}

}  // namespace hiillos::object
