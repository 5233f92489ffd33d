// kernel/ipc/thread_ipc.cc — sleeping and waking for IPC, the global IPC lock.
#include "kernel/ipc/thread_ipc.h"

#include "kernel/arch/interrupts.h"
#include "kernel/ipc/endpoint.h"
#include "kernel/sched/thread.h"

namespace hiillos::ipc {

constinit IrqSpinLock g_ipc_lock;  // thread_ipc.h

void CopyExtended(ExtendedPart& to, const ExtendedPart& from) {
  to.word_count = from.word_count;
  to.cap_count = from.cap_count;
  for (uint32_t i = 0; i < from.word_count && i < uapi::kIpcExtendedWords; ++i) {
    to.words[i] = from.words[i];
  }
  for (uint32_t i = 0; i < from.cap_count && i < uapi::kIpcMaxCaps; ++i) to.caps[i] = from.caps[i];
}

// Inlined into Block and WakeAndBlock (the IPC direct switch's path).
[[gnu::always_inline]] inline void ThreadIpc::Sleep(sched::Thread* next) {
  {
    sched::WaitQueueGuard guard(wait_);
    if (woken_) {
      if (next != nullptr) sched::WaitQueue::ReadyTaken(next);
    } else {
      bool slept = guard.BlockInterruptibleHandingOff(next);
      while (slept && !woken_) slept = guard.BlockInterruptible();
    }
    if (woken_) {
      woken_ = false;
      return;
    }
  }
  // A stop or kill request cut the sleep short. Unless a step got here first (then its Wake
  // is on the way), the call is cancelled and returns kInterrupted (kDead when killed).
  if (InterruptWait(*this)) return;
  sched::WaitQueueGuard guard(wait_);
  while (!woken_) guard.Block();
  woken_ = false;
}

void ThreadIpc::Block() {
  Sleep(nullptr);
}

void ThreadIpc::Wake() {
  sched::WaitQueueGuard guard(wait_);
  woken_ = true;
  guard.WakeOne();
}

void ThreadIpc::WakeAndBlock(ThreadIpc& other) {
  // Interrupts stay off from taking `other` out of its queue until it runs or is ready.
  const arch::InterruptState flags = arch::SaveAndDisableInterrupts();
  sched::Thread* next;
  {
    sched::WaitQueueGuard guard(other.wait_);
    other.woken_ = true;
    next = guard.TakeOne();
  }
  Sleep(next);
  arch::RestoreInterrupts(flags);
}

bool InterruptWait(ThreadIpc& t) {
  IrqSpinLockGuard guard(IpcLock());
  switch (t.state) {
    case IpcState::kCalling:
    case IpcState::kReceiving:
      t.endpoint->Cancel(t);
      break;
    case IpcState::kAwaitingReply:
      AbandonReply(t);
      break;
    case IpcState::kIdle:
      return false;
  }
  // Only the thread itself gets here, so its own requests tell which one it was.
  sched::Thread* self = sched::CurrentThread();
  const bool killed = self != nullptr && self->sched().kill_pending.Load(MemoryOrder::kSeqCst);
  t.wake_status = killed ? uapi::Status::kDead : uapi::Status::kInterrupted;
  return true;
}

bool CancelWait(ThreadIpc& t) {
  bool waiting = false;
  {
    IrqSpinLockGuard guard(IpcLock());
    switch (t.state) {
      case IpcState::kCalling:
      case IpcState::kReceiving:
        t.endpoint->Cancel(t);
        waiting = true;
        break;
      case IpcState::kAwaitingReply:
        AbandonReply(t);
        waiting = true;
        break;
      case IpcState::kIdle:
        break;
    }
    if (waiting) t.wake_status = uapi::Status::kDead;
  }
  if (waiting) t.Wake();
  return waiting;
}

}  // namespace hiillos::ipc
