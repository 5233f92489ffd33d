// kernel/sched/scheduler.h — the scheduler: fixed priorities 0..3 for user threads (3 highest)
// and kKernelPriority above them for the kernel's own threads (run_queue.h), round-robin
// within a level, per-CPU run queues and idle threads, timer preemption, affinity and load
// balancing (docs/scheduler.md).
//
// Boot: sched::Init() once on the boot CPU (after memory and the platform stage), then
// InitCpu(n) on every CPU n (the boot CPU first; APs may call it before Init() has finished:
// they wait), then RunScheduler() on every CPU, which turns the calling boot/AP context into
// that CPU's idle loop and never returns. Threads are started through Thread.
#pragma once

#include <stdint.h>

#include "kernel/arch/trap_frame.h"
#include "uapi/syscalls.h"

namespace hiillos::sched {
class Thread;  // thread.h
}

namespace hiillos::sched {

// Timer ticks a thread runs before the next thread of its priority gets the CPU.
inline constexpr uint32_t kTimeSliceTicks = 2;
// Every this many ticks a busy CPU pulls work from a more loaded CPU.
inline constexpr uint32_t kBalanceIntervalTicks = 8;

void Init();
void InitCpu(unsigned cpu);
[[noreturn]] void RunScheduler();
// Boot CPU, after Init/InitCpu(0) and once APs call InitCpu + RunScheduler from their idle
// hook: wakes every CPU the platform brought online and waits (up to one second) until each
// has joined the scheduler, so that affinity masks naming them are accepted from then on.
// Returns the mask of CPUs that joined.
uint64_t JoinOnlineCpus();
// True once InitCpu ran on the calling CPU (before that the scheduler calls below must not be
// used on it).
bool CpuReady();

// Gives up the rest of the time slice: the next ready thread of the same or a higher priority
// runs; returns at once if there is none. No-op on an idle/boot context.
void Yield();

// A preemption point for long kernel operations (destroying an address space, deleting a
// process's capabilities, tearing down object graphs) that run in bounded chunks: call it
// between chunks, holding no lock, with the objects worked on in a consistent state. With
// interrupts off and outside interrupt handlers it lets pending interrupts in (TLB-shootdown
// IPIs, the timer) and gives up the CPU if a reschedule is due; the thread may continue on
// another CPU. Elsewhere (interrupt handlers, interrupts already on, before the scheduler) it
// does nothing. Respects PreemptDisable (serves interrupts, does not switch).
void PreemptionPoint();

// Timer-interrupt entry (registered with the platform timer on every CPU). Preempts the
// running thread when its slice is used up or a higher-priority thread became ready; applies
// pending stops/kills to a thread interrupted in user mode. The timer's EOI must have been
// sent before this runs (it may switch threads).
void OnTimerTick(arch::InterruptFrame& frame);

// Preemption control for kernel code that runs with interrupts enabled but must not be
// switched away by the timer (e.g. while holding a SpinLock other threads take). Per thread,
// nests; explicit switches (Yield, blocking) still happen. A preemption that became due
// happens at the outermost PreemptEnable(). No-op outside thread context.
void PreemptDisable();
void PreemptEnable();
class PreemptGuard {
 public:
  PreemptGuard() { PreemptDisable(); }
  ~PreemptGuard() { PreemptEnable(); }
  PreemptGuard(const PreemptGuard&) = delete;
  PreemptGuard& operator=(const PreemptGuard&) = delete;
};

// For the syscall return path (kernel/syscall): true if the current thread has a stop or
// kill request that must take effect before it returns to user mode. Cheap (two loads).
bool UserReturnWorkPending();
// Applies the pending request: a kill ends the thread (ExitReason::kKilled), a stop parks it
// with `user_state` as its registers (a later Start() resumes from them). Returns only if
// nothing is pending. `user_state` is the state the thread would return to user mode with
// (syscall results already in rax/rdx, rip = return address).
void HandleUserReturnWork(const uapi::ThreadRegs& user_state);

// Called by the architecture's user-fault hook: the running user thread raised `vector` in
// ring 3. Logs one line and redirects `frame` so that the thread ends (ExitReason::kFaulted)
// on its own kernel stack once the exception handler returns. Returns false if the fault was
// not raised by a user thread (then the caller panics).
bool OnUserFault(arch::InterruptFrame& frame, uint64_t vector, uint64_t cr2);

// A user-space pager (kernel/object/pager.h) for page faults on pages that are not present:
// called in the faulting thread's context (interrupts on, no lock held) with the address and
// the access (uapi::FaultAccess bits). True: re-enter user mode at the faulting instruction
// (a pending stop or kill is applied first); false: the thread ends as for any fault. Set once
// at boot.
using PageFaultHook = bool (*)(Thread& thread, uint64_t address, uint64_t access);
void SetPageFaultHook(PageFaultHook hook);

// Index of the calling CPU (0 = boot CPU).
uint32_t CurrentCpuIndex();
// Bit n set for each CPU that ran InitCpu.
uint64_t OnlineCpuMask();

struct CpuStats {
  uint64_t ticks;       // timer ticks seen
  uint64_t idle_ticks;  // of which the idle context was running
  uint64_t switches;    // context switches
  uint64_t steals;      // threads this CPU pulled from others
  uint32_t ready;       // threads in its run queue now
  bool running_thread;  // a thread (not idle) runs now
};
CpuStats GetCpuStats(uint32_t cpu);

// Live threads (started, not exited) and thread objects in existence.
uint64_t LiveThreadCount();

}  // namespace hiillos::sched

// Where a new thread's first context switch lands (through arch::KernelServices, installed by
// kernel/arch_services.cc): finishes the switch and runs the thread; never returns.
extern "C" [[noreturn]] void ThreadFirstRun();
