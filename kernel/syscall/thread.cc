// kernel/syscall/thread.cc — Thread* syscalls: registers, start/stop, priority, affinity,
// waiting for an exit, and the caller's own exit.
#include "kernel/object/thread.h"
#include "kernel/object/process.h"
#include "kernel/syscall/caller.h"
#include "kernel/syscall/syscall_table.h"
#include "kernel/user/layout.h"
#include "kernel/user/user_copy.h"

namespace hiillos::syscall {
namespace {

using object::Thread;
using uapi::Status;

}  // namespace

// kBusy: not new or stopped.
KResult<void> SysThreadGetRegs(Capability<Thread> thread, user::UserOut<uapi::ThreadRegs> out) {
  uapi::ThreadRegs regs{};
  TRY(thread->GetRegs(&regs));
  return user::CopyOut(out, regs);
}

// kBusy: not new or stopped; kInvalidArgument: rsp, fs_base or gs_base not a canonical user
// address (checked by the scheduler together with the state). A rip outside user space is
// accepted and kills the thread (kFaulted) on its way to user mode.
KResult<void> SysThreadSetRegs(Capability<Thread> thread, uapi::ThreadRegs regs) {
  return thread->SetRegs(regs);
}

// kBusy: running, ready, blocked or exited; kDead: a new thread of a process that is dead.
KResult<void> SysThreadStart(Capability<Thread> thread) {
  return thread->Start();
}

// kBusy: exited.
KResult<void> SysThreadStop(Capability<Thread> thread) {
  return thread->Stop();
}

// kPermissionDenied: above the maximum priority of the thread's process
// (ProcessSetMaxPriority).
KResult<void> SysThreadSetPriority(Capability<Thread> thread, object::Priority priority) {
  if (thread->is_user() && priority.value() > thread->process().max_priority()) {
    return Err(Status::kPermissionDenied);
  }
  thread->SetPriority(priority);
  return Ok();
}

// kInvalidArgument: no online CPU in a non-zero mask (0 = any CPU).
KResult<void> SysThreadSetAffinity(Capability<Thread> thread, uint64_t cpu_mask) {
  return thread->SetAffinity(cpu_mask);
}

// Blocks until the thread has exited. The output range is checked before blocking (a page
// unmapped meanwhile is reported after); kBusy: waiting for itself; kInterrupted: the caller
// was stopped or killed while it waited (a stopped caller sees it when started again).
KResult<void> SysThreadWait(Capability<Thread> thread, user::UserOut<uapi::ThreadExit> out) {
  if (!user::IsUserRange(out.address(), sizeof(uapi::ThreadExit))) {
    return Err(Status::kBadAddress);
  }
  uapi::ThreadExit exit = TRY(thread->Wait());
  return user::CopyOut(out, exit);
}

// Ends the calling thread; never returns.
KResult<void> SysThreadExit(uint64_t code) {
  Caller().RecordExitCode(code);
  object::ExitCurrentThread(uapi::ExitReason::kExited, code, 0);
}

}  // namespace hiillos::syscall
