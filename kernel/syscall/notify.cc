// kernel/syscall/notify.cc — MemoryAllocNotify, NotifySignal, NotifyWait, NotifyWaitUntil,
// NotifyPoll.
#include "kernel/object/notify.h"
#include "kernel/syscall/caller.h"
#include "kernel/syscall/syscall_table.h"

namespace hiillos::syscall {

KResult<cap::Handle> SysMemoryAllocNotify(Capability<object::Memory> memory) {
  object::Ref<object::Notify> notify = TRY(object::Notify::Create(memory.object));
  return cap::KernelTable().Insert(Caller().cap_owner(), Move(notify), uapi::Rights::kAll);
}

// kInvalidArgument: no bit to set.
KResult<void> SysNotifySignal(Capability<object::Notify> notify, uint64_t bits) {
  if (bits == 0) return Err(uapi::Status::kInvalidArgument);
  notify->Signal(bits);
  return Ok();
}

// 0 only when a ThreadStop ended the wait (a killed thread never sees the result).
KResult<uint64_t> SysNotifyWait(Capability<object::Notify> notify) {
  return notify->Wait();
}

// kTimedOut: the cycle counter reached `deadline_tsc` with no bit set (at once for a deadline
// in the past). kInterrupted: a ThreadStop ended the wait.
KResult<uint64_t> SysNotifyWaitUntil(Capability<object::Notify> notify, uint64_t deadline_tsc) {
  return notify->WaitUntil(deadline_tsc);
}

KResult<uint64_t> SysNotifyPoll(Capability<object::Notify> notify) {
  uint64_t bits = notify->Poll();
  if (bits == 0) return Err(uapi::Status::kWouldBlock);
  return bits;
}

}  // namespace hiillos::syscall
