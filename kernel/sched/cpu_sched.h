// kernel/sched/cpu_sched.h — internal to kernel/sched: the per-CPU scheduler record (run queue,
// current and idle thread, counters) and the helpers the scheduler's files share.
//
// Ownership: one CpuSched per possible CPU in static storage, lives forever. `lock` (the CPU's
// run-queue lock) is a SpinLock that is only ever taken with interrupts disabled, and it is
// held across a context switch: the switching-out thread takes it, the switched-to thread
// releases it (FinishSwitch). It guards the queue, `current`, and the scheduling state of
// every thread whose ThreadSched::cpu names this CPU. Fields marked "own CPU" are touched only
// by this CPU with interrupts off; Atomic<T> ones by anyone.
#pragma once

#include <stdint.h>

#include "kernel/arch/cpu_local.h"
#include "kernel/arch/interrupts.h"
#include "kernel/arch/spinlock.h"
#include "kernel/sched/run_queue.h"
#include "kernel/sched/thread_sched.h"
#include "kernel/sched/timer_wheel.h"
#include "lib/base/atomic.h"
#include "lib/base/thread_annotations.h"

namespace hiillos::sched {
class Thread;  // thread.h
}

namespace hiillos::sched::internal {

struct alignas(64) CpuSched {
  SpinLock lock;
  RunQueue queue TA_GUARDED(lock);
  Thread* current = nullptr;  // lock (and own CPU)
  Thread* idle = nullptr;     // set once by InitCpu
  uint32_t index = 0;
  Atomic<bool> ready;  // InitCpu done

  Thread* previous = nullptr;  // own CPU: the thread FinishSwitch must settle
  uint64_t loaded_cr3 = 0;     // own CPU: what CR3 holds

  Atomic<bool> need_resched;          // reschedule at the next opportunity
  Atomic<uint32_t> queued;            // threads in `queue` (a snapshot for balancing)
  Atomic<uint32_t> current_priority;  // priority of `current` (0 for idle)
  Atomic<bool> idle_running{true};    // `current` is the idle context

  // Deadlines of threads that blocked on this CPU (wait_queue.cc). Taken with interrupts off,
  // after a wait-queue lock (a sleeper filing or cancelling its timer) and before a run-queue
  // lock (the tick waking it; it only tries wait-queue locks, docs/locking.md).
  SpinLock timer_lock;
  TimerWheel timers TA_GUARDED(timer_lock);

  Atomic<uint64_t> ticks;  // counters (GetCpuStats)
  Atomic<uint64_t> idle_ticks;
  Atomic<uint64_t> switches;
  Atomic<uint64_t> steals;
};

// Every CPU's scheduling state (scheduler.cc); reach it through Cpu() and ThisCpu().
extern CpuSched g_cpus[arch::kMaxCpus];

CpuSched& Cpu(uint32_t index);
// Inline: every block, wake and switch asks for it.
inline CpuSched& ThisCpu() {
  return g_cpus[arch::CpuIndex()];
}
bool Initialized();
uint64_t OnlineMask();

// The interrupt state before disabling; RestoreInterrupts turns them on again if they were.
// Inline: every block, wake and switch goes through them (the IPC path several times).
inline arch::InterruptState SaveAndDisableInterrupts() {
  return arch::SaveAndDisableInterrupts();
}
inline void RestoreInterrupts(arch::InterruptState state) {
  arch::RestoreInterrupts(state);
}

// Locks the run queue `thread` is assigned to (ThreadSched::cpu, re-checked after locking) and
// returns it; callers tell the analysis with `AssertHeld()`. Interrupts must be off.
// Unchecked: it returns holding a lock chosen at run time, which no annotation can name.
CpuSched& LockThreadCpu(Thread* thread) TA_NO_THREAD_SAFETY_ANALYSIS;
// Locks two run queues in index order (once if they are the same: the analysis sees both held).
void LockPair(CpuSched& a, CpuSched& b) TA_ACQUIRE(a.lock, b.lock);
void UnlockPair(CpuSched& a, CpuSched& b) TA_RELEASE(a.lock, b.lock);

bool AllowedOn(const ThreadSched& sched, uint32_t cpu);
// The least loaded online CPU `affinity` allows (0 = any), preferring `preferred` on ties.
// Lock-free snapshot; the caller re-validates under the locks.
uint32_t PickCpu(uint64_t affinity, uint32_t preferred);

// Makes `thread` (not queued, ThreadSched::cpu == c.index, c locked) ready in c's queue.
void EnqueueLocked(CpuSched& c, Thread* thread) TA_REQUIRES(c.lock);
// After EnqueueLocked and unlocking: gets CPU `cpu` to run a thread of `priority` soon: wakes
// it from HLT if idle, asks it to reschedule if it runs something less important, and
// otherwise wakes an idle CPU `affinity` allows so that it steals the thread.
void Kick(uint32_t cpu, unsigned priority, uint64_t affinity);

// Picks the next thread for this CPU and switches to it. Called with interrupts off and c.lock
// held, with the current thread's state already set (kRunning = still runnable, it is queued
// again; kBlocked/kStopped/kExited = it is not). Returns, with c.lock released and interrupts
// still off, when the calling thread runs again (possibly on another CPU).
void Reschedule(CpuSched& c) TA_RELEASE(c.lock);

// Reschedule with the choice made: switches straight to `next` (blocked until now, taken out
// of its wait queue by the caller, assigned to this CPU: ThreadSched::cpu == c.index) unless a
// queued thread outranks it, in which case `next` is queued and the usual pick runs. The
// calling thread's state is set as for Reschedule (the IPC hand-off blocks it first). Returns
// as Reschedule does.
void RescheduleTo(CpuSched& c, Thread* next) TA_RELEASE(c.lock);

// Settles the thread this CPU just switched away from and releases the run-queue lock; runs
// first thing on the stack switched to (after ContextSwitch returns, or in a new thread).
// Called holding no lock the analysis knows of; it releases the one the switching-out thread
// handed over.
void FinishSwitch();

// Makes a kernel stack's first switch frame for `thread` (ThreadFirstRun).
void PrepareFirstRun(ThreadSched& sched);

// Stack space kept free at the top of every kernel stack for the IRETQ frame of a user entry.
inline constexpr uint64_t kUserFrameReserve = 256;

// On every tick of this CPU (interrupts off): advances its timer wheel and wakes the threads
// whose deadline passed (wait_queue.cc).
void ExpireDeadlines(CpuSched& c);

// Applies a pending preemption if this CPU may switch now (thread context, interrupts on,
// preemption not disabled).
void PreemptIfNeeded();

}  // namespace hiillos::sched::internal
