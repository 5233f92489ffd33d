// kernel/sched/thread_sched.h — ThreadSched: the scheduler's per-thread state (embedded in every
// Thread), and ThreadState.
//
// Guarding: fields under "run-queue lock" are read and written only with the run-queue lock of
// the CPU in `cpu` held (changing `cpu` itself needs the old and the new CPU's locks); fields
// under "owner CPU" are touched only by the CPU that runs or switches the thread (with
// interrupts off), or by anyone while the thread is new/stopped and its run-queue lock is held.
//
// The Atomic<T> fields among them are also read without the lock (snapshots for placement,
// ps and tests; a thread polling its own stop/kill requests; LockThreadCpu reading `cpu` before
// it knows which lock to take): every access is relaxed, the run-queue lock orders the locked
// ones, and lock-free readers re-check under the lock before acting on what they saw.
#pragma once

#include <stdint.h>

#include "kernel/arch/spinlock.h"
#include "kernel/arch/thread_context.h"
#include "kernel/arch/trap_frame.h"
#include "kernel/sched/kernel_stack.h"
#include "kernel/sched/thread_list.h"
#include "kernel/sched/timer_wheel.h"
#include "lib/base/atomic.h"
#include "uapi/syscalls.h"

namespace hiillos::sched {

class WaitQueue;  // wait_queue.h
namespace internal {
struct CpuSched;  // cpu_sched.h
}

// The timer of a wait with a deadline (WaitQueueGuard::BlockInterruptibleUntil), filed in the
// timer wheel of the CPU the thread blocked on. Guarded by that CPU's timer lock; `queue`,
// `deadline_tsc` and `cpu` are written before filing and read by the tick that fires it.
struct DeadlineTimer : TimerNode {
  Thread* thread = nullptr;
  WaitQueue* queue = nullptr;  // where it sleeps (alive while the timer is filed)
  uint64_t deadline_tsc = 0;
  internal::CpuSched* cpu = nullptr;  // whose wheel holds it
};

enum class ThreadState : uint8_t {
  kNew,      // created, never started; user registers in user_regs
  kStopped,  // stopped after running; user registers in user_regs, no kernel context
  kReady,    // in its CPU's run queue
  kRunning,  // on its CPU
  kBlocked,  // in a wait queue
  kExited,   // ended; the object waits for its last reference
};

constexpr const char* ThreadStateName(ThreadState state) {
  switch (state) {
    case ThreadState::kNew:
      return "new";
    case ThreadState::kStopped:
      return "stopped";
    case ThreadState::kReady:
      return "ready";
    case ThreadState::kRunning:
      return "running";
    case ThreadState::kBlocked:
      return "blocked";
    case ThreadState::kExited:
      return "exited";
  }
  return "?";
}

struct ThreadSched {
  // --- run-queue lock ---
  Atomic<ThreadState> state{ThreadState::kNew};
  Atomic<uint8_t> priority{uapi::kDefaultPriority};
  Atomic<bool> stop_pending;
  Atomic<bool> kill_pending;
  bool alive = false;         // the scheduler holds its reference (started, not stopped/exited)
  bool first_run = false;     // started, has not run since: its kernel context may be discarded
  Atomic<uint32_t> cpu;       // run queue it is in, CPU it runs on or last ran on
  Atomic<uint64_t> affinity;  // bit n: may run on CPU n; 0 = any
  ThreadLink link;            // run queue (ready) or wait queue (blocked; that queue's lock)
  uint32_t slice_left = 0;
  uint64_t wake_value = 0;  // what the waker passed (wait_queue.h)
  // Set while the thread sits in the scheduler after a timer tick from user mode: the user
  // state is then this frame (top of its kernel stack), so it can be stopped in place.
  arch::InterruptFrame* user_frame = nullptr;
  uapi::ThreadRegs user_regs{};  // user state of a new/stopped user thread

  // --- fixed at creation ---
  bool user = false;  // runs user code (has a process)
  bool idle = false;  // a CPU's idle context (no own stack, never queued)
  uint64_t cr3 = 0;   // user: its process's page tables
  KernelStack stack;

  // --- owner CPU ---
  Atomic<uint32_t> preempt_disabled;  // PreemptDisable nesting (written by the thread itself)
  uint64_t saved_rsp = 0;             // kernel stack pointer while switched out
  arch::UserThreadState user_state;   // user FPU state and TLS bases while switched out

  // --- statistics (relaxed) ---
  Atomic<uint64_t> run_ticks;
  Atomic<uint64_t> switches_in;
  Atomic<uint64_t> cpus_seen;  // bit n: has run on CPU n (tests)

  // --- reaper lock (reaper.cc) ---
  ThreadLink reap_link;            // in the reaper's list while it owes the thread a release
  uint32_t reap_count = 0;         // scheduler references the reaper must drop
  bool exit_switched_out = false;  // the CPU has left the exited thread for good
  bool exit_reaped = false;        // its kernel stack was freed and waiters told

  // --- wait_lock (wait_queue.cc): the wait queue an interruptible Block() sleeps on ---
  // Taken with interrupts off, after that queue's lock (the sleeper) or before trying it (an
  // interrupter, which backs off when the try fails). While `interruptible_wait` is set the
  // sleeper is inside BlockInterruptible, so the queue is alive.
  SpinLock wait_lock;
  WaitQueue* interruptible_wait = nullptr;

  // --- the timer lock of deadline.cpu (wait_queue.cc): a wait with a deadline ---
  DeadlineTimer deadline;

  // --- user fault record (owner CPU, written in the exception handler) ---
  uint64_t fault_vector = 0;
  uint64_t fault_error = 0;
  uint64_t fault_address = 0;  // CR2 for #PF
  uint64_t fault_rip = 0;
};

}  // namespace hiillos::sched
