// kernel/ipc/ipc_ktest.cc — in-kernel tests of the kernel side of IPC: a thread asleep in a call
// or a receive, or awaiting a reply, is woken with kDead when it is killed (Thread::Kill →
// ipc::CancelWait), and the endpoint and reply slot are left as the protocol says (nothing
// queued, an orphaned slot whose Reply reports kDead). Kernel threads run the same steps the
// syscalls run (kernel/syscall/ipc.cc): a step under IpcLock, then ThreadIpc::Block.
#include "kernel/ipc/endpoint.h"
#include "kernel/ipc/thread_ipc.h"
#include "kernel/object/thread.h"
#include "kernel/sched/scheduler.h"
#include "kernel/test/ktest.h"
#include "kernel/time/clock.h"

namespace hiillos::ipc {
namespace {

object::Ref<object::Thread> Spawn(const char* name, object::Thread::KernelEntry entry, void* arg) {
  auto created = object::Thread::CreateKernel(name, entry, arg);
  if (!created.ok()) return nullptr;
  object::Ref<object::Thread> thread = Move(created.value());
  if (!thread->Start().ok()) return nullptr;
  return thread;
}

void Join(const object::Ref<object::Thread>& thread) {
  (void)thread->Wait();
}

// Polls `condition` (yielding) for up to two seconds.
template <typename Condition>
bool WaitFor(Condition condition) {
  const uint64_t deadline = time::NowNanoseconds() + 2'000'000'000ull;
  while (!condition()) {
    if (time::NowNanoseconds() > deadline) return false;
    sched::Yield();
  }
  return true;
}

struct Waiter {
  Endpoint* endpoint;
  ReplySlot* slot;  // receive into it (null: call)
  Atomic<uint32_t> done;
  uapi::Status status = uapi::Status::kOk;
};

void WaitInIpc(void* arg) {
  auto* w = static_cast<Waiter*>(arg);
  ThreadIpc& self = object::CurrentThread()->ipc();
  Step step;
  {
    IrqSpinLockGuard guard(IpcLock());
    step = w->slot != nullptr ? w->endpoint->Receive(self, *w->slot)
                              : w->endpoint->Call(self, 7, RegisterMessage{});
  }
  if (step.wake != nullptr) ThreadIpc::Of(*step.wake).Wake();
  if (step.block) {
    self.Block();
    w->status = self.wake_status;
  } else {
    w->status = step.status;
  }
  w->done.Store(1, MemoryOrder::kRelease);
}

IpcState StateOf(object::Thread& thread) {
  IrqSpinLockGuard guard(IpcLock());
  return thread.ipc().state;
}

KTEST(ipc, kill_wakes_a_queued_caller_and_receiver) {
  Endpoint endpoint;
  endpoint.AddSender();
  ReplySlot slot;
  Waiter receiver{&endpoint, &slot, {}, {}};
  auto thread = Spawn("ipc-recv", WaitInIpc, &receiver);
  KASSERT(thread);
  KEXPECT(WaitFor([&] { return StateOf(*thread) == IpcState::kReceiving; }));
  thread->Kill();
  KEXPECT(WaitFor([&] { return receiver.done.Load(MemoryOrder::kAcquire) != 0; }));
  Join(thread);
  KEXPECT(receiver.status == uapi::Status::kDead);
  KEXPECT_EQ(endpoint.queued_receivers(), 0u);

  Waiter caller{&endpoint, nullptr, {}, {}};
  thread = Spawn("ipc-call", WaitInIpc, &caller);
  KASSERT(thread);
  KEXPECT(WaitFor([&] { return StateOf(*thread) == IpcState::kCalling; }));
  thread->Kill();
  KEXPECT(WaitFor([&] { return caller.done.Load(MemoryOrder::kAcquire) != 0; }));
  Join(thread);
  KEXPECT(caller.status == uapi::Status::kDead);
  KEXPECT_EQ(endpoint.queued_callers(), 0u);
  // A thread not in IPC: nothing to cancel.
  KEXPECT(!CancelWait(object::CurrentThread()->ipc()));
}

KTEST(ipc, kill_while_awaiting_reply_orphans_the_slot) {
  Endpoint endpoint;
  endpoint.AddSender();
  Waiter caller{&endpoint, nullptr, {}, {}};
  auto thread = Spawn("ipc-call", WaitInIpc, &caller);
  KASSERT(thread);
  KEXPECT(WaitFor([&] { return StateOf(*thread) == IpcState::kCalling; }));
  // This thread takes the call into a slot, keeps it unanswered, then the caller is killed.
  ReplySlot slot;
  ThreadIpc& self = object::CurrentThread()->ipc();
  {
    IrqSpinLockGuard guard(IpcLock());
    Step step = endpoint.Receive(self, slot);
    KEXPECT(step.status == uapi::Status::kOk && !step.block);
  }
  KEXPECT(StateOf(*thread) == IpcState::kAwaitingReply);
  thread->Kill();
  KEXPECT(WaitFor([&] { return caller.done.Load(MemoryOrder::kAcquire) != 0; }));
  Join(thread);
  KEXPECT(caller.status == uapi::Status::kDead);
  IrqSpinLockGuard guard(IpcLock());
  KEXPECT(slot.orphaned());
  Step reply = Reply(slot, RegisterMessage{});
  KEXPECT(reply.status == uapi::Status::kDead && reply.wake == nullptr);
  KEXPECT(!slot.orphaned() && !slot.bound());
}

}  // namespace
}  // namespace hiillos::ipc
