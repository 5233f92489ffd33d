// kernel/sched/thread.h — sched::Thread: the scheduler's thread (run state, context, queue
// links, kernel stack, exit record), as Zircon's Thread is to its ThreadDispatcher. The
// capability-facing kernel object is object::Thread (kernel/object/thread.h), which embeds one;
// the scheduler never sees it: it reaches its owner only through ThreadOwner.
//
// Ownership and lifetime: the owner (object::Thread, or the scheduler itself for idle contexts
// and the reaper) allocates and frees the thread. While the thread is *alive* (started and
// neither stopped nor exited) the scheduler holds one owner reference (ThreadOwner::retain),
// dropped on the next CPU context after it stops or exits (ThreadOwner::release).
//
// Locking: `sched_` is guarded as thread_sched.h says (the run-queue lock of its CPU); the exit
// record by `exit_waiters_`'s lock; `counted_live_` by the run-queue lock.
#pragma once

#include <stdint.h>

#include "kernel/arch/cpu_local.h"
#include "kernel/sched/thread_sched.h"
#include "kernel/sched/wait_queue.h"
#include "lib/base/atomic.h"
#include "lib/base/work_stack.h"
#include "uapi/syscalls.h"

namespace hiillos::sched {

namespace internal {
struct ThreadAccess;  // the scheduler's access to Thread internals
}

class Thread;

// What the scheduler asks of whoever owns a thread. Every hook runs in thread context with no
// spinlock held, except `group_id` (any context).
struct ThreadOwner {
  // One more reference to the owner (the caller holds one).
  void (*retain)(Thread& thread);
  // Drops one reference; the last one may destroy the owner and this thread with it.
  void (*release)(Thread& thread);
  // The thread now counts as live in its group (a process), or no longer does.
  // False: the group (process) is dead and the thread must not start (nothing changed).
  bool (*started)(Thread& thread);
  void (*exited)(Thread& thread);
  // The group (process) id for reports; 0 for none.
  uint64_t (*group_id)(const Thread& thread);
};

class Thread {
 public:
  static constexpr unsigned kNameLength = 16;
  using KernelEntry = void (*)(void* arg);

  // `owner` (static storage) and `owner_context` (what its hooks find through owner()) outlive
  // the thread. The thread starts new, on the calling CPU, with `stack` (may be empty: idle).
  Thread(uint32_t id, const ThreadOwner* owner, void* owner_context, KernelStack stack);
  Thread(const Thread&) = delete;
  Thread& operator=(const Thread&) = delete;

  void SetName(const char* name);
  // Runs entry(arg) in ring 0 when started; exits with code 0 when it returns.
  void SetKernelEntry(KernelEntry entry, void* arg) {
    kernel_entry_ = entry;
    kernel_arg_ = arg;
  }
  // Runs user code in the address space `page_table_root`.
  void MakeUser(uint64_t page_table_root) {
    sched_.user = true;
    sched_.cr3 = page_table_root;
  }

  uint32_t id() const { return id_; }
  const char* name() const { return name_; }
  bool is_user() const { return sched_.user; }
  void* owner() const { return owner_context_; }
  const ThreadOwner& owner_hooks() const { return *owner_; }
  // Started and counted live in its group (the run-queue lock; stable once it cannot run).
  bool counted_live() const { return counted_live_; }
  void clear_counted_live() { counted_live_ = false; }
  // Snapshots (may change right after): for tests, ps and debugging.
  ThreadState state() const;
  unsigned priority() const;
  uint64_t affinity() const;
  // True once the thread has ended and the CPU it last ran on has switched away from it.
  bool fully_exited() const;

  ThreadSched& sched() { return sched_; }
  const ThreadSched& sched() const { return sched_; }

  // Objects whose last reference this thread dropped while it was already destroying one
  // (kernel/object/kernel_object.h): only this thread and interrupts on its CPU touch it.
  WorkStack& destroy_work() { return destroy_work_; }

 private:
  friend struct internal::ThreadAccess;

  const uint32_t id_;
  char name_[kNameLength] = {};
  const ThreadOwner* const owner_;
  void* const owner_context_;
  KernelEntry kernel_entry_ = nullptr;
  void* kernel_arg_ = nullptr;
  // StartThread counted it live in its group and the exit has not uncounted it (run-queue lock).
  bool counted_live_ = false;

  // The exit record, guarded by exit_waiters_'s lock. `exited_`: the exit is decided and the
  // record final; `released_`: the kernel stack is freed and no CPU runs the thread any more
  // (WaitThread returns only then); `handoff_`: the scheduler's reference was handed to the
  // waiters (the first to return drops it); `reap_ticket_`: otherwise the reaper drops it
  // under this ticket (reaper.h), and WaitThread also waits for that.
  bool exited_ = false;
  Atomic<bool> released_;  // also read without the lock (fully_exited, acquire)
  bool handoff_ = false;
  uint64_t reap_ticket_ = 0;
  uapi::ThreadExit exit_{};
  WaitQueue exit_waiters_;

  ThreadSched sched_;
  WorkStack destroy_work_;
};

namespace internal {
// Set by sched::Init() (scheduler.cc): from then on per-CPU data is valid on every CPU that
// runs kernel code (the boot CPU set it up in stage 3, APs run kernel code only after theirs).
extern Atomic<bool> g_initialized;
}  // namespace internal

// The thread running on this CPU; nullptr on a CPU's idle/boot context. Inline: every system
// call asks for it several times (one acquire load and one GS-relative load).
inline Thread* CurrentThread() {
  if (!internal::g_initialized.Load(MemoryOrder::kAcquire)) return nullptr;
  return static_cast<Thread*>(arch::CurrentThreadSlot());
}

// UserReturnWorkPending() (scheduler.h), inline for the syscall return path: the current user
// thread has a stop or kill request to apply before it returns to user mode.
inline bool UserReturnWorkPendingInline() {
  Thread* self = CurrentThread();
  if (self == nullptr || !self->sched().user) return false;
  const ThreadSched& sched = self->sched();
  return sched.kill_pending.Load(MemoryOrder::kRelaxed) ||
         sched.stop_pending.Load(MemoryOrder::kRelaxed);
}

// UserReturnWorkPendingInline for the end of a system call: only a user thread makes one, and
// only once the scheduler runs, so the initialised and user checks are left out.
inline bool SyscallReturnWorkPending() {
  const Thread* self = static_cast<const Thread*>(arch::CurrentThreadSlot());
  if (self == nullptr) return false;
  const ThreadSched& sched = self->sched();
  return sched.kill_pending.Load(MemoryOrder::kRelaxed) ||
         sched.stop_pending.Load(MemoryOrder::kRelaxed);
}

// A new kernel thread the scheduler itself owns (no references, never destroyed): the reaper.
// Errors: kOutOfMemory.
Result<Thread*, uapi::Status> CreateDetachedKernelThread(const char* name,
                                                         Thread::KernelEntry entry, void* arg);

}  // namespace hiillos::sched
