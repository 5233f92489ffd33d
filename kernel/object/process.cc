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
  process->~Process();  // drops the Vmem and refunds the object
  mm::ObjectFree(process, sizeof(Process));
}

void Process::ThreadStarted() {
  live_threads_.FetchAdd(1, MemoryOrder::kAcqRel);
}

void Process::ThreadExited() {
  uint32_t before = live_threads_.FetchSub(1, MemoryOrder::kAcqRel);
  ASSERT(before != 0, "Process: more thread exits than starts");
  if (before != 1) return;
  dead_.Store(true, MemoryOrder::kRelease);
  ReportProcessDead(cap_owner_);
  if (death_hook_ != nullptr) death_hook_(*this);
}

}  // namespace hiillos::object
