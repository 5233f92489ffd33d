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

using object::Ref;
using object::Thread;
using uapi::Rights;
using uapi::Status;

}  // namespace

// ThreadGetRegs(thread, ThreadRegs* out). Thread needs kRead.
// Errors: kInvalidCapability, kWrongType, kMissingRights, kBusy (not stopped), kBadAddress.
SyscallResult SysThreadGetRegs(const SyscallArgs& a) {
  Ref<Thread> thread = TRY(LookupCap<Thread>(a.arg[0], Rights::kRead));
  uapi::ThreadRegs regs{};
  TRY(thread->GetRegs(&regs));
  TRY(user::CopyOut(user::UserOut<uapi::ThreadRegs>(a.arg[1]), regs));
  return uint64_t{0};
}

// ThreadSetRegs(thread, const ThreadRegs* in). Thread needs kWrite.
// Errors: kInvalidCapability, kWrongType, kMissingRights, kBadAddress, kBusy (not stopped),
// kInvalidArgument (rip, rsp, fs_base or gs_base not a canonical user address).
SyscallResult SysThreadSetRegs(const SyscallArgs& a) {
  Ref<Thread> thread = TRY(LookupCap<Thread>(a.arg[0], Rights::kWrite));
  uapi::ThreadRegs regs = TRY(user::CopyIn(user::UserIn<uapi::ThreadRegs>(a.arg[1])));
  TRY(thread->SetRegs(regs));
  return uint64_t{0};
}

// ThreadStart(thread). Thread needs kWrite.
// Errors: kInvalidCapability, kWrongType, kMissingRights, kBusy (running or exited).
SyscallResult SysThreadStart(const SyscallArgs& a) {
  Ref<Thread> thread = TRY(LookupCap<Thread>(a.arg[0], Rights::kWrite));
  TRY(thread->Start());
  return uint64_t{0};
}

// ThreadStop(thread). Thread needs kWrite.
// Errors: kInvalidCapability, kWrongType, kMissingRights, kBusy (exited).
SyscallResult SysThreadStop(const SyscallArgs& a) {
  Ref<Thread> thread = TRY(LookupCap<Thread>(a.arg[0], Rights::kWrite));
  TRY(thread->Stop());
  return uint64_t{0};
}

// ThreadSetPriority(thread, priority). Thread needs kWrite.
// Errors: kInvalidCapability, kWrongType, kMissingRights, kInvalidArgument (> kMaxPriority).
SyscallResult SysThreadSetPriority(const SyscallArgs& a) {
  Ref<Thread> thread = TRY(LookupCap<Thread>(a.arg[0], Rights::kWrite));
  if (a.arg[1] > uapi::kMaxPriority) return Err(Status::kInvalidArgument);
  TRY(thread->SetPriority(static_cast<unsigned>(a.arg[1])));
  return uint64_t{0};
}

// ThreadSetAffinity(thread, cpu_mask; 0 = any). Thread needs kWrite.
// Errors: kInvalidCapability, kWrongType, kMissingRights, kInvalidArgument (no online CPU in
// the mask).
SyscallResult SysThreadSetAffinity(const SyscallArgs& a) {
  Ref<Thread> thread = TRY(LookupCap<Thread>(a.arg[0], Rights::kWrite));
  TRY(thread->SetAffinity(a.arg[1]));
  return uint64_t{0};
}

// ThreadWait(thread, ThreadExit* out): blocks until the thread has exited. Thread needs kRead.
// Errors: kInvalidCapability, kWrongType, kMissingRights, kBadAddress (checked before
// blocking; a page unmapped meanwhile is reported after), kBusy (waiting for itself).
SyscallResult SysThreadWait(const SyscallArgs& a) {
  Ref<Thread> thread = TRY(LookupCap<Thread>(a.arg[0], Rights::kRead));
  const uint64_t out = a.arg[1];
  if (!user::IsUserRange(out, sizeof(uapi::ThreadExit))) return Err(Status::kBadAddress);
  uapi::ThreadExit exit = TRY(thread->Wait());
  TRY(user::CopyOut(user::UserOut<uapi::ThreadExit>(out), exit));
  return uint64_t{0};
}

// ThreadExit(code): ends the calling thread; never returns.
SyscallResult SysThreadExit(const SyscallArgs& a) {
  Caller().RecordExitCode(a.arg[0]);
  object::ExitCurrentThread(uapi::ExitReason::kExited, a.arg[0], 0);
}

}  // namespace hiillos::syscall
