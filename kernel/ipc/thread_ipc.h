// kernel/ipc/thread_ipc.h — ThreadIpc: the IPC state every kernel thread carries (its endpoint
// Participant, the extended part of the message in flight, its IPC buffer address) and the one
// way an IPC wait sleeps and wakes (a private wait queue per thread, kernel/sched). IpcLock()
// is the lock every endpoint step runs under.
//
// Locking: IpcLock() guards every Endpoint, ReplySlot and Participant (and `ext` while the
// thread is queued or bound). A step runs under it; the threads the step makes ready are woken
// after it is released (Wake never runs under IpcLock). Lock order: IpcLock → the capability
// table's lock (transfers) ; a thread's wait lock → run-queue locks.
//
// One global lock is the simple, obviously correct first version; the fast path (design.md §7)
// replaces it on the Call/ReplyRecv path with per-endpoint claims.
#pragma once

#include <stdint.h>

#include "kernel/arch/spinlock.h"
#include "kernel/ipc/participant.h"
#include "kernel/sched/wait_queue.h"
#include "lib/base/atomic.h"
#include "uapi/ipc.h"

namespace hiillos::ipc {

// The extended part of a message: words and capabilities beyond the registers. Outgoing, it is
// what the thread sends (copied from its IPC buffer before the step); incoming, what it was
// given (copied to its IPC buffer after it wakes). Capabilities are already transferred when a
// message lands here: `caps[i].handle` is then the receiver's handle.
struct ExtendedPart {
  uint32_t word_count = 0;
  uint32_t cap_count = 0;
  uint64_t words[uapi::kIpcExtendedWords] = {};
  uapi::IpcCap caps[uapi::kIpcMaxCaps] = {};
};

// Copies `from`'s used words and capabilities into `to` (bounded: at most one ExtendedPart).
void CopyExtended(ExtendedPart& to, const ExtendedPart& from);

class ThreadIpc : public Participant {
 public:
  ThreadIpc() = default;
  ThreadIpc(const ThreadIpc&) = delete;
  ThreadIpc& operator=(const ThreadIpc&) = delete;

  // The ThreadIpc a participant belongs to (every kernel Participant is one).
  static ThreadIpc& Of(Participant& p) { return static_cast<ThreadIpc&>(p); }

  // Sleeps until Wake() (at once if Wake() came first). Thread context, no spinlock held.
  // A stop or kill request ends the sleep: the wait is cancelled as by CancelWait, with
  // wake_status kInterrupted (kDead when killed), unless the step that wakes the thread came
  // first (then it returns with what that step delivered).
  void Block();
  // Ends Block() of this thread (or the next one). Never under IpcLock().
  void Wake();
  // Wake() of `other`, then Block() of this thread, switching this CPU straight to `other`
  // when it sleeps here and nothing more important is queued (sched::WaitQueueGuard::
  // BlockHandingOff): the direct switch of Call and ReplyRecv. Thread context, no spinlock held.
  void WakeAndBlock(ThreadIpc& other);

 private:
  // Block(), handing the CPU to `next` (taken from another ThreadIpc's queue) if not null.
  void Sleep(sched::Thread* next);

 public:
  // The extended part in flight (see ExtendedPart). Guarded by IpcLock() while the thread is
  // queued or bound; otherwise only the thread itself touches it.
  ExtendedPart ext;
  // The capability-table owner (object::CapOwner) of the thread's process, set by the thread
  // at each IPC call (the receiving side of a transfer). Opaque here: kernel/ipc sits below
  // kernel/object. Valid while the thread is in the call (the thread holds its process).
  void* cap_owner = nullptr;
  // The syscall frame of the IPC call the thread is in (kernel/syscall reads and writes the
  // message registers there).
  void* syscall_frame = nullptr;
  // User address of the thread's IPC buffer (ThreadSetIpcBuffer), 0 when it has none.
  Atomic<uint64_t> buffer;

 private:
  sched::WaitQueue wait_;
  bool woken_ = false;  // guarded by wait_'s lock
};

// The lock of every IPC step (see above). Inline: every step takes it.
extern IrqSpinLock g_ipc_lock;
inline IrqSpinLock& IpcLock() {
  return g_ipc_lock;
}

// The thread of `t` is being killed: a queued call or receive is cancelled (Endpoint::Cancel),
// a call awaiting its reply leaves its slot orphaned (AbandonReply: the server's Reply then
// reports kDead), and the thread wakes with kDead so that it can die on its way out of the
// kernel. Returns whether it was waiting. No lock held.
bool CancelWait(ThreadIpc& t);

// The calling thread `t` was asked to stop or die while asleep in IPC: as CancelWait, but with
// no wake-up (it is awake) and wake_status kInterrupted (kDead if killed). Returns false, and
// changes nothing, if a step already made it ready (its Wake is on the way). No lock held.
bool InterruptWait(ThreadIpc& t);

}  // namespace hiillos::ipc
