// kernel/syscall/ipc_fastpath.cc — the register-only IPC fast path (ipc_fastpath.h): Call and
// ReplyRecv without the generic decode (the argument table, the Capability<> wrappers, the
// IPC-buffer read), without capability-transfer bookkeeping, in one IpcLock hold, then the
// direct switch to the peer (ThreadIpc::WakeAndBlock). Every check that could send the call
// elsewhere is made before anything changes; the step itself is the state machine's own
// (ipc::Endpoint::Call, ipc::Reply + Endpoint::Receive), so the slow path (ipc.cc) and this
// one leave identical state. The thread sleeping here wakes here and finishes as the slow path
// does (FinishReceive), so a peer woken by either path returns by its own path.
#include "kernel/syscall/ipc_fastpath.h"

#include "kernel/cap/kernel_table.h"
#include "kernel/ipc/endpoint.h"
#include "kernel/ipc/thread_ipc.h"
#include "kernel/object/ipc_objects.h"
#include "kernel/object/thread.h"
#include "kernel/panic/assert.h"
#include "kernel/syscall/ipc_common.h"
#include "uapi/syscalls.h"

namespace hiillos::syscall {
namespace {

using ipc::ThreadIpc;
using uapi::Status;

// What a fast-path step did: `taken` false when it did not apply (nothing changed), else the
// call's status and value (rax, rdx).
struct FastPathResult {
  bool taken = false;
  Status status = Status::kOk;
  uint64_t value = 0;
};

constexpr uint64_t kCallNumber = static_cast<uint64_t>(uapi::Syscall::kCall);
constexpr uint64_t kReplyRecvNumber = static_cast<uint64_t>(uapi::Syscall::kReplyRecv);

// The message registers, in the order the slow path's ReadOutgoing reads them.
ipc::RegisterMessage RegistersOf(const arch::InterruptFrame& frame) {
  static_assert(ipc::kRegisterWords == 6, "the register words are r10, r8, r9, r12, r13, r14");
  return ipc::RegisterMessage{{frame.r10, frame.r8, frame.r9, frame.r12, frame.r13, frame.r14}};
}

// The capability `raw` of the calling process as a T with `rights`, or null (the slow path
// then reports the lookup's error). Takes a reference, as the generic decode does.
template <typename T>
object::Ref<T> Find(object::CapOwner& owner, uint64_t raw, uapi::Rights rights) {
  if (raw > UINT32_MAX) return {};
  auto found = cap::KernelTable().Lookup<T>(owner, static_cast<cap::Handle>(raw), rights);
  if (!found.ok()) return {};
  return Move(found.value());
}

// No extended words and no capabilities going out (the info word is 0). What arrives later
// replaces the thread's extended part, so it starts empty as well.
void ClearExtended(ipc::ExtendedPart& ext) {
  ext.word_count = 0;
  ext.cap_count = 0;
}

// After the wake-up: the status it brought, or the message into the registers (as the slow
// path).
FastPathResult Finish(ThreadIpc& self) {
  if (self.wake_status != Status::kOk) return {.taken = true, .status = self.wake_status};
  KResult<uint64_t> info = FinishReceive(self);
  if (!info.ok()) return {.taken = true, .status = info.error()};
  return {.taken = true, .value = info.value()};
}

// Call to a receiver already asleep in Recv/ReplyRecv on the endpoint.
FastPathResult FastCall(object::Thread& thread, arch::InterruptFrame& frame) {
  object::CapOwner& owner = thread.process().cap_owner();
  object::Ref<object::Sender> sender = Find<object::Sender>(owner, frame.rdi, uapi::Rights::kWrite);
  if (!sender) return {};
  ThreadIpc& self = thread.ipc();
  ipc::Endpoint& endpoint = sender->core().endpoint();
  const ipc::RegisterMessage message = RegistersOf(frame);
  ThreadIpc* receiver;
  {
    IrqSpinLockGuard guard(ipc::IpcLock());
    // Null when the endpoint is closed (kDead) or nobody waits (the caller queues): slow path.
    ipc::Participant* next = endpoint.next_receiver();
    if (next == nullptr) return {};
    self.cap_owner = &owner;
    ClearExtended(self.ext);
    ipc::Step step = endpoint.Call(self, sender->badge(), message);
    receiver = &ThreadIpc::Of(*step.wake);
    ClearExtended(receiver->ext);
  }
  // The direct switch; we hold the Sender while we wait, as the slow path does.
  self.WakeAndBlock(*receiver);
  return Finish(self);
}

// ReplyRecv whose reply slot holds a call and whose receive will sleep (no call queued).
FastPathResult FastReplyRecv(object::Thread& thread, arch::InterruptFrame& frame) {
  object::CapOwner& owner = thread.process().cap_owner();
  object::Ref<object::Receiver> receiver =
      Find<object::Receiver>(owner, frame.rdi, uapi::Rights::kRead);
  if (!receiver) return {};
  object::Ref<object::Reply> reply = Find<object::Reply>(owner, frame.rsi, uapi::Rights::kWrite);
  if (!reply) return {};
  ThreadIpc& self = thread.ipc();
  object::EndpointCore& core = receiver->core();
  ipc::Endpoint& endpoint = core.endpoint();
  const ipc::RegisterMessage message = RegistersOf(frame);
  ThreadIpc* caller;
  {
    IrqSpinLockGuard guard(ipc::IpcLock());
    ipc::ReplySlot& slot = reply->slot();
    // The reply must wake a caller (an empty or orphaned slot, and a slot another thread
    // receives into, take the slow path), and the receive must sleep: the endpoint open, a
    // sender left, no call queued.
    if (slot.caller() == nullptr || reply->receiving) return {};
    if (endpoint.receiver_closed() || endpoint.senders_gone()) return {};
    if (endpoint.next_caller() != nullptr) return {};
    self.cap_owner = &owner;
    ClearExtended(self.ext);
    ipc::Step step = ipc::Reply(slot, message);
    caller = &ThreadIpc::Of(*step.wake);
    ClearExtended(caller->ext);
    step = endpoint.Receive(self, slot);
    ASSERT(step.block, "IPC fast path: the receive was checked to sleep");
    reply->receiving = true;
  }
  // Sleep on the endpoint, not on the Receiver (as SysRecv): deleting the Receiver closes the
  // endpoint and wakes this thread with kDead, even if that happens right here.
  core.Retain();
  receiver.reset();
  self.WakeAndBlock(*caller);
  EndReceiving(*reply);
  FastPathResult result = Finish(self);
  core.Release();
  return result;
}

}  // namespace

bool IpcFastPath(uint64_t number, object::Thread& thread, arch::InterruptFrame& frame) {
  // The info word (rdx): any extended word, capability or undefined bit takes the slow path.
  if (frame.rdx != 0) return false;
  if (!thread.is_user()) return false;
  FastPathResult result;
  if (number == kCallNumber) {
    result = FastCall(thread, frame);
  } else if (number == kReplyRecvNumber) {
    result = FastReplyRecv(thread, frame);
  }
  if (!result.taken) return false;
  frame.rax = static_cast<uint64_t>(result.status);
  frame.rdx = result.value;
  return true;
}

}  // namespace hiillos::syscall
