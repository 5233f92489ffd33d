// kernel/object/process.h — Process: a capability owner with an address space (Vmem) and a count
// of live threads; its capabilities are deleted when its last started thread exits.
//
// Ownership and lifetime: a Process is owned by its references: capability slots, and each of
// its Threads (a Thread holds a Ref<Process> for its whole life). It holds a Ref<Vmem> (its
// address space, whose page tables its threads run on) and the charge of its own object memory
// (a MemoryCharge against the Memory it was allocated from). Destroying it drops both. That
// Memory also pays for every capability slot the process owns (its CapOwner names the Memory's
// budget; the charge keeps the Memory alive while the process can own slots).
//
// Life cycle: created stopped with no capabilities. The scheduler calls ThreadStarted() each
// time one of its threads starts running and ThreadExited() when one ends (exit, fault, kill).
// When the live count drops to zero the process "dies": every capability it owns is deleted
// (CapabilityTable::DeleteAllOwnedBy) and it is marked dead; the object itself stays until its
// last reference goes (e.g. a parent's handle, or a Thread waited on by someone).
//
// Kill (ProcessKill): the process is marked killed (no thread of it starts or is created any
// more), every thread of it is killed (Thread::Kill: blocked waits end), and it dies when the
// last of them has exited — at once when none runs (a process that never ran dies with its
// capabilities right away).
//
// Locking: the live count and the dead and killed flags are atomics; `threads_lock_` (docs/
// locking.md) guards the thread lists and each listed Thread's `kill_sent`, and is never held
// while calling into a Thread; id, vmem and the Memory never change;
// the CapOwner's list fields belong to the capability table (its lock). Teardown
// runs in the thread context that called ThreadExited, without any lock of this object held.
#pragma once

#include <stdint.h>

#include "kernel/arch/spinlock.h"
#include "kernel/object/cap_owner.h"
#include "kernel/object/kernel_object.h"
#include "kernel/object/memory.h"
#include "kernel/object/pager.h"
#include "kernel/object/ref.h"
#include "kernel/object/vmem.h"
#include "kernel/result/kresult.h"
#include "lib/base/atomic.h"
#include "lib/base/result.h"
#include "uapi/object_type.h"
#include "uapi/status.h"
#include "uapi/syscalls.h"

namespace hiillos::object {

class Thread;  // kernel/object/thread.h

// A Thread's place in its Process's thread lists (circular, with a sentinel).
struct ProcessThreadLink {
  ProcessThreadLink* prev = nullptr;
  ProcessThreadLink* next = nullptr;
  bool kill_sent = false;  // moved to the killed list (guarded by the process's threads_lock_)
  KernelObject* thread = nullptr;  // the Thread this link belongs to (set at construction)
};

class Process : public KernelObject {
 public:
  static constexpr uapi::ObjectType kObjectType = uapi::ObjectType::kProcess;

  // A new process using `vmem`, its object memory charged to `memory`.
  // Errors: kOutOfMemory (budget or kernel memory).
  static KResult<Ref<Process>> Create(const Ref<Memory>& memory, Ref<Vmem> vmem);
  static void Destroy(Process* process);

  // The capability-table owner id (64-bit, unique for the kernel's run, never 0).
  uint64_t id() const { return id_; }
  // What the capability table keeps for this process (id, the budget its slots are charged to,
  // its list of slots).
  CapOwner& cap_owner() { return cap_owner_; }
  // CR3 value for its threads (the Vmem's PML4, physical).
  uint64_t page_table_root() const { return vmem_->page_table_root(); }
  Vmem& vmem() const { return *vmem_; }

  // Live-thread count, maintained by the scheduler. ThreadExited() on the last live thread
  // deletes every capability the process owns, which may destroy objects (including Thread
  // objects of this process, the calling thread's included if only a capability kept it
  // alive): call it in thread context, holding no spinlock, with the caller holding its own
  // reference to the exiting thread. The vmem stays (the Process keeps it) until the Process
  // object is destroyed, so the exiting thread may keep running on its page tables.
  // ThreadStarted() fails (returns false, nothing changes) once the process is dead: a thread
  // of a dead process never runs again. Death is decided atomically with the count (one word):
  // a start that races with the last exit either comes first (the process lives on) or fails.
  [[nodiscard]] bool ThreadStarted();
  void ThreadExited();
  uint32_t live_threads() const { return live_threads_.Load(MemoryOrder::kAcquire) & kCountMask; }
  // True once the last live thread has exited (its capabilities are being or were deleted).
  bool dead() const { return (live_threads_.Load(MemoryOrder::kAcquire) & kDeadBit) != 0; }

  // The highest priority its threads may be given (seL4's maximum controlled priority):
  // ThreadSetPriority above it is kPermissionDenied, new threads start at most at it. Set by
  // whoever holds the process with Write (ProcessSetMaxPriority), never above the setter's own
  // maximum; a new process starts with its creator's. Lowering it leaves threads that already
  // run higher as they are (as in seL4): it bounds what can be set from then on.
  unsigned max_priority() const { return max_priority_.Load(MemoryOrder::kRelaxed); }
  void set_max_priority(unsigned priority) {
    max_priority_.Store(static_cast<uint8_t>(priority), MemoryOrder::kRelaxed);
  }

  // Lists a new thread (Thread::Create). Errors: kDead once the process is dead or killed.
  KResult<void> AddThread(ProcessThreadLink& link);
  // Unlists a thread being destroyed (Thread::Destroy).
  void RemoveThread(ProcessThreadLink& link);
  // Killing (object::KillProcess in thread.h drives these three): MarkKilled sets the killed
  // flag (false if the process was dead or killed already); TakeThreadsToKill moves up to `max`
  // listed threads to the killed list and returns references to those not in destruction;
  // DieIfNoThreads ends a killed process none of whose threads runs (its capabilities go).
  [[nodiscard]] bool MarkKilled();
  size_t TakeThreadsToKill(Ref<KernelObject>* out, size_t max);
  void DieIfNoThreads();
  bool killed() const { return (live_threads_.Load(MemoryOrder::kAcquire) & kKillBit) != 0; }

  // The code of the last ThreadExit any of its threads made (the syscall records it), so the
  // death hook can tell a clean exit from a fault or kill.
  void RecordExitCode(uint64_t code) {
    exit_code_.Store(code, MemoryOrder::kRelaxed);
    exited_cleanly_.Store(true, MemoryOrder::kRelease);
  }
  bool exited_cleanly() const { return exited_cleanly_.Load(MemoryOrder::kAcquire); }
  uint64_t exit_code() const { return exit_code_.Load(MemoryOrder::kRelaxed); }

  // The Vmems this process is the pager of (kernel/object/pager.h); detached when it dies.
  PagedVmems& paged_vmems() { return paged_vmems_; }

  // Called once when the process dies (the kernel's root process uses it to end test runs).
  // Set before its first thread starts.
  using DeathHook = void (*)(Process& process);
  void set_death_hook(DeathHook hook) { death_hook_ = hook; }

 private:
  Process(uint64_t id, Ref<Vmem> vmem, MemoryCharge charge);
  ~Process() = default;

  const uint64_t id_;
  Ref<Vmem> vmem_;
  MemoryCharge charge_;
  CapOwner cap_owner_;
  static constexpr uint32_t kDeadBit = 1u << 31;
  static constexpr uint32_t kKillBit = 1u << 30;
  static constexpr uint32_t kCountMask = kKillBit - 1;
  // Started, not exited; | kKillBit once killed; exactly kDeadBit once dead (then final).
  Atomic<uint32_t> live_threads_;
  SpinLock threads_lock_;
  ProcessThreadLink threads_ TA_GUARDED(threads_lock_);         // not yet sent a kill
  ProcessThreadLink killed_threads_ TA_GUARDED(threads_lock_);  // sent one
  Atomic<uint8_t> max_priority_{uapi::kMaxPriority};
  Atomic<bool> exited_cleanly_;
  Atomic<uint64_t> exit_code_;
  DeathHook death_hook_ = nullptr;
  PagedVmems paged_vmems_;
};

// The process of the calling thread; nullptr on a CPU's idle/boot context (no user thread).
Process* CurrentProcess();

}  // namespace hiillos::object
