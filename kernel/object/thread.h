// kernel/object/thread.h — Thread: a schedulable context (user thread of a Process, or a kernel
// thread), its life cycle (new → ready/running/blocked ⇄ stopped → exited) and its exit record.
//
// Ownership and lifetime: a Thread is owned by its references (capability slots, waiters in
// Wait(), kernel code). While it is *alive* (started and neither stopped nor exited) the
// scheduler holds one more reference, dropped on the next CPU context after it stops or exits,
// so a running thread never loses its object or kernel stack under its feet. Each thread owns
// a kernel stack (kernel/sched/kernel_stack.h, with a guard page), its FPU/SSE save area and,
// for user threads, a Ref<Process> (the process lives at least as long as its threads) and an
// optional MemoryCharge refunded on destruction.
//
// Locking: scheduling state lives in `sched_` (kernel/sched/thread_sched.h) and is guarded by
// the run-queue lock of the CPU the thread is assigned to; the exit record by `exit_waiters_`'s
// lock; user registers of a stopped thread by the same run-queue lock (see scheduler.h).
// Never call these methods holding a spinlock except where noted.
#pragma once

#include <stdint.h>

#include "kernel/object/kernel_object.h"
#include "kernel/object/memory.h"
#include "kernel/object/ref.h"
#include "kernel/sched/thread_sched.h"
#include "kernel/sched/wait_queue.h"
#include "lib/base/result.h"
#include "uapi/object_type.h"
#include "uapi/status.h"
#include "uapi/syscalls.h"

namespace hiillos::sched::internal {
struct ThreadAccess;  // the scheduler's access to Thread internals (kernel/sched)
}

namespace hiillos::object {

class Process;  // kernel/object/process.h

class Thread : public KernelObject {
 public:
  static constexpr uapi::ObjectType kObjectType = uapi::ObjectType::kThread;
  // Bytes a user thread costs (object + kernel stack): what SYSCALL charges to a Memory.
  static const uint64_t kMemoryCost;
  static constexpr unsigned kNameLength = 16;

  // A new stopped user thread in `process` (registers all zero, priority kDefaultPriority,
  // any CPU). Errors: kOutOfMemory (kernel memory for the object or its kernel stack),
  // kInvalidArgument (null process).
  static Result<Ref<Thread>, uapi::Status> Create(Ref<Process> process);
  // A new stopped kernel thread that runs entry(arg) in ring 0 and exits with code 0 when it
  // returns. Errors: kOutOfMemory.
  using KernelEntry = void (*)(void* arg);
  static Result<Ref<Thread>, uapi::Status> CreateKernel(const char* name, KernelEntry entry,
                                                        void* arg);
  static void Destroy(Thread* thread);

  // The user register state of a stopped (or never started) user thread.
  // Errors: kBusy unless stopped; kInvalidArgument for a kernel thread.
  Result<void, uapi::Status> GetRegs(uapi::ThreadRegs* out);
  // Errors: kBusy unless stopped; kInvalidArgument for a kernel thread, or a rip/rsp/fs_base/
  // gs_base that is not a canonical lower-half (user) address. RFLAGS is sanitised, not
  // rejected: only CF PF AF ZF SF DF OF AC are taken from `in`, IF is always set.
  Result<void, uapi::Status> SetRegs(const uapi::ThreadRegs& in);
  // New/stopped → ready (on the least loaded CPU its affinity allows). A stop request that has
  // not taken effect yet is cancelled. Errors: kBusy if running/ready/blocked (and no stop is
  // pending) or exited.
  Result<void, uapi::Status> Start();
  // Requests a stop. A ready thread preempted in user mode stops at once; a running or blocked
  // one stops the next time it would return to user mode (at the latest one timer tick after
  // it runs again); GetRegs/SetRegs return kBusy until then. Stopping a new/stopped thread is
  // a no-op. Errors: kBusy if exited; kInvalidArgument for a kernel thread.
  Result<void, uapi::Status> Stop();
  // Errors: kInvalidArgument if priority > uapi::kMaxPriority. Takes effect at the thread's
  // next scheduling decision.
  Result<void, uapi::Status> SetPriority(unsigned priority);
  // `cpu_mask` bit n = CPU n may run it; 0 = any CPU. Errors: kInvalidArgument if the mask
  // names no online CPU. A running thread moves at its next preemption.
  Result<void, uapi::Status> SetAffinity(uint64_t cpu_mask);
  // Blocks the calling thread until this one has exited and returns how it ended (at once if
  // it already has). Errors: kBusy if called by this very thread or outside thread context.
  Result<uapi::ThreadExit, uapi::Status> Wait();
  // Ends the thread with ExitReason::kKilled: a new/stopped/ready-in-user-mode thread at once,
  // a running or blocked one when it next would return to user mode. No-op if exited.
  void Kill();

  // Keeps `charge` (the Memory charge for this thread) until the thread is destroyed.
  void AttachCharge(MemoryCharge charge) { charge_ = Move(charge); }

  // Precondition: is_user(). The process stays referenced until the thread is destroyed.
  Process& process() { return *process_.get(); }
  Process* process_or_null() const { return process_.get(); }
  bool is_user() const { return sched_.user; }
  uint32_t id() const { return id_; }
  const char* name() const { return name_; }
  // Snapshots (may change right after): for tests, ps and debugging.
  sched::ThreadState state() const;
  unsigned priority() const;
  uint64_t affinity() const;
  // True once the thread has ended and the CPU it last ran on has switched away from it.
  bool fully_exited() const;

  // The scheduler's part of the thread (kernel/sched only).
  sched::ThreadSched& sched() { return sched_; }

 private:
  friend struct sched::internal::ThreadAccess;

  Thread(uint32_t id, Ref<Process> process);
  ~Thread();
  static Result<Thread*, uapi::Status> Allocate(Ref<Process> process, bool with_stack);

  const uint32_t id_;
  char name_[kNameLength] = {};
  Ref<Process> process_;  // null for kernel threads
  MemoryCharge charge_;
  KernelEntry kernel_entry_ = nullptr;
  void* kernel_arg_ = nullptr;
  // ThreadStarted() was called and ThreadExited() not yet (the run-queue lock).
  bool counted_live_ = false;

  // The exit record, guarded by exit_waiters_'s lock. `exited_`: the exit is decided and the
  // record final; `released_`: the kernel stack is freed and no CPU runs the thread any more
  // (Wait() returns only then); `handoff_`: the scheduler's reference was handed to the
  // waiters (the first to return drops it); `reap_ticket_`: otherwise the reaper drops it
  // under this ticket (kernel/sched/reaper.h), and Wait() also waits for that.
  bool exited_ = false;
  bool released_ = false;
  bool handoff_ = false;
  uint64_t reap_ticket_ = 0;
  uapi::ThreadExit exit_{};
  sched::WaitQueue exit_waiters_;

  sched::ThreadSched sched_;
};

// The thread running on this CPU; nullptr on a CPU's idle/boot context.
Thread* CurrentThread();

// Ends the calling thread (`reason`, `code`, `addr` become its ThreadExit) and never returns.
// Must be called in thread context with no spinlock held.
[[noreturn]] void ExitCurrentThread(uapi::ExitReason reason, uint64_t code, uint64_t addr);

}  // namespace hiillos::object
