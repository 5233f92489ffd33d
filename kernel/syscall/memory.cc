// kernel/syscall/memory.cc — MemoryAllocFrame/Vmem/Process/Thread, MemoryCreate and MemoryInfo:
// creating objects charged to a Memory capability, each returned as a new capability with every
// right.
#include "kernel/object/memory.h"
#include "kernel/object/frame.h"
#include "kernel/object/process.h"
#include "kernel/object/thread.h"
#include "kernel/object/vmem.h"
#include "kernel/syscall/caller.h"
#include "kernel/syscall/syscall_table.h"
#include "kernel/user/user_copy.h"

namespace hiillos::syscall {
namespace {

using object::Memory;
using object::Ref;

// Hands the new object to the caller (its slot is charged to the caller's own Memory). On
// failure (no slot, or the caller's budget) the object is dropped here, which destroys it and
// refunds its charge.
template <typename T>
KResult<cap::Handle> Give(Ref<T> object) {
  return cap::KernelTable().Insert(Caller().cap_owner(), Move(object), uapi::Rights::kAll);
}

}  // namespace

KResult<cap::Handle> SysMemoryAllocFrame(Capability<Memory> memory, object::FrameOrder order) {
  return Give(TRY(object::Frame::Create(memory.object, order)));
}

KResult<cap::Handle> SysMemoryAllocVmem(Capability<Memory> memory) {
  return Give(TRY(object::Vmem::Create(memory.object)));
}

KResult<cap::Handle> SysMemoryAllocProcess(Capability<Memory> memory,
                                           Capability<object::Vmem> vmem) {
  Ref<object::Process> process = TRY(object::Process::Create(memory.object, Move(vmem.object)));
  process->set_max_priority(Caller().max_priority());  // a child never outranks its creator
  return Give(Move(process));
}

// kDead: the process's threads have all exited (it owns nothing any more).
KResult<cap::Handle> SysMemoryAllocThread(Capability<Memory> memory,
                                          Capability<object::Process> process) {
  if (process->dead()) return Err(uapi::Status::kDead);
  object::MemoryCharge charge = TRY(Memory::Charge(memory.object, object::Thread::kMemoryCost));
  Ref<object::Thread> thread = TRY(object::Thread::Create(Move(process.object)));
  thread->AttachCharge(Move(charge));
  return Give(Move(thread));
}

// A child Memory with `budget` bytes, carved from `memory` (kInvalidArgument: `memory` is
// already Memory::kMaxDepth levels deep).
KResult<cap::Handle> SysMemoryCreate(Capability<Memory> memory, uint64_t budget) {
  if (memory->depth() >= Memory::kMaxDepth) return Err(uapi::Status::kInvalidArgument);
  return Give(TRY(Memory::CreateChild(memory.object, budget)));
}

KResult<void> SysMemoryInfo(Capability<Memory> memory, user::UserOut<uapi::MemoryInfo> out) {
  return user::CopyOut(out, memory->Info());
}

}  // namespace hiillos::syscall
