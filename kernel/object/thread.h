// kernel/object/thread.h — Thread: the capability-facing thread object (Zircon's
// ThreadDispatcher). It owns a sched::Thread (kernel/sched/thread.h: run state, context, queue
// links, kernel stack, exit record) and adds what capabilities see: the process, the Memory
// charge, the reference count. Its life cycle is new → ready/running/blocked ⇄ stopped → exited.
//
// Ownership and lifetime: a Thread is owned by its references (capability slots, waiters in
// Wait(), kernel code). While it is *alive* (started and neither stopped nor exited) the
// scheduler holds one more reference (through sched::ThreadOwner), dropped on the next CPU
// context after it stops or exits, so a running thread never loses its object or kernel stack
// under its feet. For user threads it holds a Ref<Process> (the process lives at least as long
// as its threads) and an optional MemoryCharge refunded on destruction.
//
// Locking: see kernel/sched/thread.h. Never call these methods holding a spinlock except where
// noted.
#pragma once

#include <stdint.h>

#include "kernel/ipc/thread_ipc.h"
#include "kernel/object/bounded_value.h"
#include "kernel/object/io_port_range.h"
#include "kernel/object/kernel_object.h"
#include "kernel/object/memory.h"
#include "kernel/object/pager.h"
#include "kernel/object/process.h"
#include "kernel/object/ref.h"
#include "kernel/sched/thread.h"
#include "lib/base/result.h"
#include "uapi/object_type.h"
#include "uapi/status.h"
#include "uapi/syscalls.h"

namespace hiillos::object {

class Process;  // kernel/object/process.h

class Thread : public KernelObject {
 public:
  static constexpr uapi::ObjectType kObjectType = uapi::ObjectType::kThread;
  // Bytes a user thread costs (object + kernel stack): what SYSCALL charges to a Memory.
  static const uint64_t kMemoryCost;
  static constexpr unsigned kNameLength = sched::Thread::kNameLength;

  // A new stopped user thread in `process` (registers all zero, priority kDefaultPriority or
  // the process's maximum if that is lower, any CPU). Errors: kOutOfMemory (kernel memory for the
  // object or its kernel stack), kInvalidArgument (null process), kDead (the process is dead or
  // killed).
  static Result<Ref<Thread>, uapi::Status> Create(Ref<Process> process);
  // A new stopped kernel thread that runs entry(arg) in ring 0 and exits with code 0 when it
  // returns. Errors: kOutOfMemory.
  using KernelEntry = sched::Thread::KernelEntry;
  static Result<Ref<Thread>, uapi::Status> CreateKernel(const char* name, KernelEntry entry,
                                                        void* arg);
  static void Destroy(Thread* thread);

  // The user register state of a stopped (or never started) user thread.
  // Errors: kBusy unless stopped; kInvalidArgument for a kernel thread.
  Result<void, uapi::Status> GetRegs(uapi::ThreadRegs* out);
  // Errors: kBusy unless stopped; kInvalidArgument for a kernel thread, or an rsp/fs_base/
  // gs_base that is not a canonical lower-half (user) address. Any rip is taken: one that is
  // not a user address makes the thread fault (killed, kFaulted) when it next enters user mode.
  // RFLAGS is sanitised, not rejected: only CF PF AF ZF SF DF OF AC are taken from `in`, IF is
  // always set.
  Result<void, uapi::Status> SetRegs(const uapi::ThreadRegs& in);
  // New/stopped → ready (on the least loaded CPU its affinity allows). A stop request that has
  // not taken effect yet is cancelled. Errors: kBusy if running/ready/blocked (and no stop is
  // pending) or exited; kDead for a new thread whose process is dead (it never runs).
  Result<void, uapi::Status> Start();
  // Requests a stop. A ready thread preempted in user mode stops at once; a running or blocked
  // one stops the next time it would return to user mode (at the latest one timer tick after
  // it runs again); GetRegs/SetRegs return kBusy until then. Stopping a new/stopped thread is
  // a no-op. Errors: kBusy if exited; kInvalidArgument for a kernel thread.
  Result<void, uapi::Status> Stop();
  // Takes effect at the thread's next scheduling decision (the range was checked by whoever
  // made the Priority: the syscall's decode step, or Priority::Check).
  void SetPriority(Priority priority);
  // `cpu_mask` bit n = CPU n may run it; 0 = any CPU. Errors: kInvalidArgument if the mask
  // names no online CPU. A running thread moves at its next preemption.
  Result<void, uapi::Status> SetAffinity(uint64_t cpu_mask);
  // Blocks the calling thread until this one has exited and returns how it ended (at once if
  // it already has). Errors: kBusy if called by this very thread or outside thread context.
  Result<uapi::ThreadExit, uapi::Status> Wait();
  // Ends the thread with ExitReason::kKilled: a new/stopped/ready-in-user-mode thread at once,
  // a running or blocked one when it next would return to user mode (one asleep in IPC is
  // woken for it: ipc::CancelWait). No-op if exited.
  void Kill();

  // Keeps `charge` (the Memory charge for this thread) until the thread is destroyed.
  void AttachCharge(MemoryCharge charge) { charge_ = Move(charge); }
  // The I/O ports this thread may use (IoPortRangeEnable; only the thread itself changes it).
  IoPortGrant& io_ports() { return io_ports_; }

  // Precondition: is_user(). The process stays referenced until the thread is destroyed.
  Process& process() { return *process_.get(); }
  Process* process_or_null() const { return process_.get(); }
  bool is_user() const { return core_.is_user(); }
  uint32_t id() const { return core_.id(); }
  const char* name() const { return core_.name(); }
  // Snapshots (may change right after): for tests, ps and debugging.
  sched::ThreadState state() const { return core_.state(); }
  unsigned priority() const { return core_.priority(); }
  uint64_t affinity() const { return core_.affinity(); }
  // True once the thread has ended and the CPU it last ran on has switched away from it.
  bool fully_exited() const { return core_.fully_exited(); }

  // The thread's IPC state (kernel/ipc/thread_ipc.h): its endpoint participant and message.
  ipc::ThreadIpc& ipc() { return ipc_; }

  // Its page-fault record while a user-space pager handles a fault (kernel/object/pager.h).
  PageFaultWait& page_fault() { return page_fault_; }

  // The scheduler's thread, and its per-thread scheduling state (tests, kernel/sched).
  sched::Thread& core() { return core_; }
  sched::ThreadSched& sched() { return core_.sched(); }
  // The Thread that owns `core` (every sched::Thread but idle contexts and the reaper).
  static Thread& FromCore(sched::Thread& core) { return *static_cast<Thread*>(core.owner()); }

 private:
  Thread(uint32_t id, Ref<Process> process, sched::KernelStack stack);
  ~Thread();
  static Result<Thread*, uapi::Status> Allocate(Ref<Process> process);

  static const sched::ThreadOwner kOwnerHooks;

  Ref<Process> process_;  // null for kernel threads
  MemoryCharge charge_;
  IoPortGrant io_ports_;
  sched::Thread core_;
  ipc::ThreadIpc ipc_;
  ProcessThreadLink process_link_;  // user threads: listed in process_ from Create to Destroy
  PageFaultWait page_fault_;
};

// ProcessKill: marks `process` killed (no thread of it starts or is created any more), kills
// each of its threads (Thread::Kill), a batch of 8 per hold of its thread lock, and ends it at
// once if none of them runs (otherwise the last exit does). Idempotent. Thread context, no
// spinlock held.
void KillProcess(Process& process);

// The thread running on this CPU; nullptr on a CPU's idle/boot context (and for the kernel's
// own threads, which no Thread object owns). Inline: the system-call paths ask often.
inline Thread* CurrentThread() {
  sched::Thread* core = sched::CurrentThread();
  if (core == nullptr || core->owner() == nullptr) return nullptr;  // idle context, reaper
  return &Thread::FromCore(*core);
}

// Ends the calling thread (`reason`, `code`, `addr` become its ThreadExit) and never returns.
// Must be called in thread context with no spinlock held.
[[noreturn]] void ExitCurrentThread(uapi::ExitReason reason, uint64_t code, uint64_t addr);

}  // namespace hiillos::object
