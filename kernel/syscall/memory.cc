// kernel/syscall/memory.cc — MemoryAllocFrame/Vmem/Process/Thread and MemoryInfo: creating
// objects charged to a Memory capability, each returned as a new capability with every right.
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

using object::Ref;
using uapi::Rights;
using uapi::Status;

// Hands the new object to the caller. On failure (no slot) the object is dropped here, which
// destroys it and refunds its charge.
template <typename T>
SyscallResult Give(Ref<T> object) {
  return TRY(cap::KernelTable().Insert(Caller().id(), Move(object), Rights::kAll));
}

}  // namespace

// MemoryAllocFrame(memory, order) -> frame (zeroed, 0x1000 << order bytes). Memory needs
// kWrite. Errors: kInvalidCapability, kWrongType, kMissingRights, kInvalidArgument (order >
// kMaxFrameOrder), kOutOfMemory (budget or physical memory), kNoSlots.
SyscallResult SysMemoryAllocFrame(const SyscallArgs& a) {
  Ref<object::Memory> memory = TRY(LookupCap<object::Memory>(a.arg[0], Rights::kWrite));
  if (a.arg[1] > uapi::kMaxFrameOrder) return Err(Status::kInvalidArgument);
  Ref<object::Frame> frame = TRY(object::Frame::Create(memory, static_cast<unsigned>(a.arg[1])));
  return Give(Move(frame));
}

// MemoryAllocVmem(memory) -> vmem. Memory needs kWrite.
// Errors: kInvalidCapability, kWrongType, kMissingRights, kOutOfMemory, kNoSlots.
SyscallResult SysMemoryAllocVmem(const SyscallArgs& a) {
  Ref<object::Memory> memory = TRY(LookupCap<object::Memory>(a.arg[0], Rights::kWrite));
  Ref<object::Vmem> vmem = TRY(object::Vmem::Create(memory));
  return Give(Move(vmem));
}

// MemoryAllocProcess(memory, vmem) -> process running in that vmem. Memory and vmem need
// kWrite. Errors: kInvalidCapability, kWrongType, kMissingRights, kOutOfMemory, kNoSlots.
SyscallResult SysMemoryAllocProcess(const SyscallArgs& a) {
  Ref<object::Memory> memory = TRY(LookupCap<object::Memory>(a.arg[0], Rights::kWrite));
  Ref<object::Vmem> vmem = TRY(LookupCap<object::Vmem>(a.arg[1], Rights::kWrite));
  Ref<object::Process> process = TRY(object::Process::Create(memory, Move(vmem)));
  return Give(Move(process));
}

// MemoryAllocThread(memory, process) -> stopped thread in that process (registers zero).
// Memory and process need kWrite. Errors: kInvalidCapability, kWrongType, kMissingRights,
// kDead (the process's threads have all exited: it owns nothing any more), kOutOfMemory,
// kNoSlots.
SyscallResult SysMemoryAllocThread(const SyscallArgs& a) {
  Ref<object::Memory> memory = TRY(LookupCap<object::Memory>(a.arg[0], Rights::kWrite));
  Ref<object::Process> process = TRY(LookupCap<object::Process>(a.arg[1], Rights::kWrite));
  if (process->dead()) return Err(Status::kDead);
  object::MemoryCharge charge = TRY(object::Memory::Charge(memory, object::Thread::kMemoryCost));
  Ref<object::Thread> thread = TRY(object::Thread::Create(Move(process)));
  thread->AttachCharge(Move(charge));
  return Give(Move(thread));
}

// MemoryInfo(memory, MemoryInfo* out). Memory needs kRead.
// Errors: kInvalidCapability, kWrongType, kMissingRights, kBadAddress.
SyscallResult SysMemoryInfo(const SyscallArgs& a) {
  Ref<object::Memory> memory = TRY(LookupCap<object::Memory>(a.arg[0], Rights::kRead));
  TRY(user::CopyOut(user::UserOut<uapi::MemoryInfo>(a.arg[1]), memory->Info()));
  return uint64_t{0};
}

}  // namespace hiillos::syscall
