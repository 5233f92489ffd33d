// kernel/sched/scheduler.cc — per-CPU scheduling: picking and switching threads, the idle loop,
// timer preemption, placement and load balancing (scheduler.h, cpu_sched.h).
#include "kernel/sched/scheduler.h"

#include "kernel/arch/address_space.h"
#include "kernel/arch/cpu_local.h"
#include "kernel/arch/cross_call.h"
#include "kernel/arch/idle_time.h"
#include "kernel/arch/interrupts.h"
#include "kernel/arch/irq_off.h"
#include "kernel/arch/thread_context.h"
#include "kernel/arch/timer.h"
#include "kernel/arch/user_mode.h"
#include "kernel/lib/log.h"
#include "kernel/mm/kernel_space.h"
#include "kernel/panic/cpu_reports.h"
#include "kernel/panic/panic.h"
#include "kernel/sched/cpu_sched.h"
#include "kernel/sched/reaper.h"
#include "kernel/sched/thread.h"
#include "kernel/sched/thread_access.h"
#include "kernel/sched/thread_control.h"
#include "kernel/time/clock.h"
#include "lib/base/atomic.h"

namespace hiillos::sched {

namespace internal {

Atomic<bool> g_initialized;       // Init() done (thread.h)
CpuSched g_cpus[arch::kMaxCpus];  // cpu_sched.h

namespace {

Atomic<uint64_t> g_online;  // bit n = InitCpu(n) done
uint64_t g_kernel_cr3;      // written once by Init()

// Relaxed accesses to CpuSched's snapshots and counters: they are hints (balancing, wake-ups,
// statistics), ordered by the run-queue locks where it matters.
template <typename T>
T Load(const Atomic<T>& field) {
  return field.Load(MemoryOrder::kRelaxed);
}
template <typename T, typename U>
void Store(Atomic<T>& field, U value) {
  field.Store(static_cast<T>(value), MemoryOrder::kRelaxed);
}
void Count(Atomic<uint64_t>& counter) {
  counter.FetchAdd(1, MemoryOrder::kRelaxed);
}
void UpdateQueued(CpuSched& cpu) TA_REQUIRES(cpu.lock) {
  Store(cpu.queued, cpu.queue.count());
}

// The run-queue lock's hand-off across a context switch: this thread switches away holding
// c.lock and the thread switched to releases it (FinishSwitch). When this thread runs again
// (maybe on another CPU), whoever switched back to it holds that CPU's lock, and FinishSwitch
// releases it here. The analysis cannot follow a lock released by another thread after a
// context switch, so this is the one place it is told c.lock is gone.
void SwitchContext(CpuSched& c, ThreadSched& ps, ThreadSched& ns)
    TA_RELEASE(c.lock) TA_NO_THREAD_SAFETY_ANALYSIS {
  // The interrupt-handler depth belongs to this thread's context: a handler that switches away
  // leaves it raised, and the thread switched to must not inherit it (arch/irq_off.h).
  const uint32_t interrupt_depth = arch::InterruptDepth();
  arch::ThreadContext::Switch(&ps.saved_rsp, ns.saved_rsp);
  arch::SetInterruptDepth(interrupt_depth);
  FinishSwitch();
}

// Switches this CPU from `prev` (c.current) to `next`, which runs for `slice` ticks. See
// Reschedule.
// Inlined into its callers (Reschedule, RescheduleTo: the direct IPC switch's path).
[[gnu::always_inline]] inline void SwitchTo(CpuSched& c, Thread* prev, Thread* next,
                                            uint32_t slice = kTimeSliceTicks) TA_RELEASE(c.lock) {
  ThreadSched& ns = next->sched();
  ns.state.Store(ThreadState::kRunning, MemoryOrder::kRelaxed);
  ns.slice_left = slice;
  ns.first_run = false;
  ns.user_frame = nullptr;
  c.current = next;
  Store(c.idle_running, ns.idle);
  Store(c.current_priority,
        ns.idle ? 0u : static_cast<uint32_t>(ns.priority.Load(MemoryOrder::kRelaxed)));
  UpdateQueued(c);
  if (next == prev) {
    c.lock.Unlock();
    return;
  }
  arch::SetCurrentThreadSlot(ns.idle ? nullptr : next);
  // Ring-3 interrupts and system calls enter the kernel on the thread's own stack.
  if (!ns.idle) arch::ThreadContext::SetKernelEntryStack(ns.stack.top);
  uint64_t cr3 = ns.user ? ns.cr3 : g_kernel_cr3;
  if (c.loaded_cr3 != cr3) {
    arch::SwitchAddressSpace(cr3);
    c.loaded_cr3 = cr3;
  }
  ThreadSched& ps = prev->sched();
  if (ps.user && ps.state.Load(MemoryOrder::kRelaxed) != ThreadState::kExited) {
    arch::ThreadContext::SaveUserState(&ps.user_state);
  }
  if (ns.user) arch::ThreadContext::RestoreUserState(&ns.user_state);
  c.previous = prev;
  Count(c.switches);
  ns.switches_in.FetchAdd(1, MemoryOrder::kRelaxed);
  ns.cpus_seen.FetchOr(1ull << c.index, MemoryOrder::kRelaxed);
  SwitchContext(c, ps, ns);
}

// Moves `thread` (ready, in no queue: it may not run on the CPU it was preempted on) to a CPU
// it may run on. Interrupts off, no lock held.
void MigrateInTransit(Thread* thread) {
  ThreadSched& sched = thread->sched();
  for (;;) {
    uint32_t from = sched.cpu.Load(MemoryOrder::kRelaxed);
    uint32_t to = PickCpu(sched.affinity.Load(MemoryOrder::kRelaxed), from);
    CpuSched& source = g_cpus[from];
    CpuSched& target = g_cpus[to];
    LockPair(source, target);
    bool valid = sched.cpu.Load(MemoryOrder::kRelaxed) == from &&
                 sched.state.Load(MemoryOrder::kRelaxed) == ThreadState::kReady &&
                 sched.link.owner == nullptr;
    if (!valid) {  // someone else settled it meanwhile
      UnlockPair(source, target);
      return;
    }
    if (!AllowedOn(sched, to)) {  // the affinity changed again: pick anew
      UnlockPair(source, target);
      continue;
    }
    sched.cpu.Store(to, MemoryOrder::kRelaxed);
    EnqueueLocked(target, thread);
    unsigned priority = sched.priority.Load(MemoryOrder::kRelaxed);
    uint64_t affinity = sched.affinity.Load(MemoryOrder::kRelaxed);
    UnlockPair(source, target);
    Kick(to, priority, affinity);
    return;
  }
}

// Pulls one ready thread that may run here from the busiest other CPU. `idle`: this CPU has
// nothing to run (pull if anyone has a queued thread); otherwise pull only when the other
// queue is at least two longer. Interrupts off, no lock held. Returns true if it pulled.
bool TryPull(CpuSched& c, bool idle) {
  uint64_t online = Load(g_online);
  uint32_t own = Load(c.queued);
  uint32_t busiest = arch::kMaxCpus;
  uint32_t most = 0;
  for (uint64_t rest = online & ~(1ull << c.index); rest != 0; rest &= rest - 1) {
    uint32_t cpu = static_cast<uint32_t>(__builtin_ctzll(rest));
    uint32_t queued = Load(g_cpus[cpu].queued);
    if (queued > most) {
      most = queued;
      busiest = cpu;
    }
  }
  if (busiest == arch::kMaxCpus) return false;
  if (idle ? most == 0 : most < own + 2) return false;
  CpuSched& source = g_cpus[busiest];
  LockPair(c, source);
  ThreadLink* link = source.queue.FindFirst(
      [&](ThreadLink* candidate) { return AllowedOn(candidate->thread->sched(), c.index); });
  if (link != nullptr) {
    source.queue.Remove(link);
    UpdateQueued(source);
    link->thread->sched().cpu.Store(c.index, MemoryOrder::kRelaxed);
    EnqueueLocked(c, link->thread);
    Count(c.steals);
  }
  UnlockPair(c, source);
  return link != nullptr;
}

}  // namespace

CpuSched& Cpu(uint32_t index) {
  return g_cpus[index < arch::kMaxCpus ? index : 0];
}

bool Initialized() {
  return g_initialized.Load(MemoryOrder::kAcquire);
}

uint64_t OnlineMask() {
  return g_online.Load(MemoryOrder::kAcquire);
}

CpuSched& LockThreadCpu(Thread* thread) {
  ThreadSched& sched = thread->sched();
  for (;;) {
    CpuSched& cpu = g_cpus[sched.cpu.Load(MemoryOrder::kRelaxed)];
    cpu.lock.Lock();
    if (sched.cpu.Load(MemoryOrder::kRelaxed) == cpu.index) return cpu;
    cpu.lock.Unlock();
  }
}

// The analysis cannot follow the a == b case; callers see TA_ACQUIRE(a.lock, b.lock).
void LockPair(CpuSched& a, CpuSched& b) TA_NO_THREAD_SAFETY_ANALYSIS {
  if (&a == &b) {
    a.lock.Lock();
  } else if (a.index < b.index) {
    a.lock.Lock();
    b.lock.Lock();
  } else {
    b.lock.Lock();
    a.lock.Lock();
  }
}

// As LockPair: the a == b case releases one lock the analysis counts twice.
void UnlockPair(CpuSched& a, CpuSched& b) TA_NO_THREAD_SAFETY_ANALYSIS {
  a.lock.Unlock();
  if (&a != &b) b.lock.Unlock();
}

bool AllowedOn(const ThreadSched& sched, uint32_t cpu) {
  uint64_t affinity = sched.affinity.Load(MemoryOrder::kRelaxed);
  uint64_t allowed = affinity == 0 ? ~0ull : affinity;
  return ((allowed & OnlineMask()) >> cpu) & 1;
}

uint32_t PickCpu(uint64_t affinity, uint32_t preferred) {
  uint64_t candidates = OnlineMask() & (affinity == 0 ? ~0ull : affinity);
  if (candidates == 0) return preferred;  // callers validate affinity against online CPUs
  uint32_t best = arch::kMaxCpus;
  uint32_t best_load = ~0u;
  auto consider = [&](uint32_t cpu) {
    uint32_t load = Load(g_cpus[cpu].queued) + (Load(g_cpus[cpu].idle_running) ? 0 : 1);
    if (load < best_load) {
      best_load = load;
      best = cpu;
    }
  };
  if (preferred < arch::kMaxCpus && ((candidates >> preferred) & 1)) consider(preferred);
  for (uint64_t rest = candidates; rest != 0; rest &= rest - 1) {
    consider(static_cast<uint32_t>(__builtin_ctzll(rest)));
  }
  return best;
}

void EnqueueLocked(CpuSched& c, Thread* thread) {
  ThreadSched& sched = thread->sched();
  sched.state.Store(ThreadState::kReady, MemoryOrder::kRelaxed);
  c.queue.Push(&sched.link, sched.priority.Load(MemoryOrder::kRelaxed));
  UpdateQueued(c);
}

void Kick(uint32_t cpu, unsigned priority, uint64_t affinity) {
  CpuSched& target = g_cpus[cpu];
  uint32_t self = arch::CpuIndex();
  if (Load(target.idle_running)) {
    if (cpu != self) (void)arch::WakeCpu(cpu);
    return;
  }
  if (priority > Load(target.current_priority)) {
    Store(target.need_resched, true);  // a remote CPU acts on it at its next tick
    return;
  }
  // The target is busy with something at least as important: let an idle CPU steal it.
  uint64_t candidates = OnlineMask() & (affinity == 0 ? ~0ull : affinity) & ~(1ull << cpu);
  for (uint64_t rest = candidates; rest != 0; rest &= rest - 1) {
    uint32_t other = static_cast<uint32_t>(__builtin_ctzll(rest));
    if (other != self && Load(g_cpus[other].idle_running)) {
      (void)arch::WakeCpu(other);
      return;
    }
  }
}

void Reschedule(CpuSched& c) {
  Thread* prev = c.current;
  ThreadSched& ps = prev->sched();
  if (!ps.idle && ps.state.Load(MemoryOrder::kRelaxed) == ThreadState::kRunning) {
    ps.state.Store(ThreadState::kReady, MemoryOrder::kRelaxed);
    // Not allowed here any more (affinity changed): FinishSwitch moves it.
    if (AllowedOn(ps, c.index)) c.queue.Push(&ps.link, ps.priority.Load(MemoryOrder::kRelaxed));
  }
  ThreadLink* link = c.queue.PopHighest();
  SwitchTo(c, prev, link != nullptr ? link->thread : c.idle);
}

void RescheduleTo(CpuSched& c, Thread* next) {
  ThreadSched& ns = next->sched();
  const int priority = static_cast<int>(ns.priority.Load(MemoryOrder::kRelaxed));
  // The same choice Reschedule would make, minus the queue trip: `next` runs unless a queued
  // thread outranks it (then it waits its turn in the queue like any woken thread).
  // A direct switch hands over the rest of the current time slice, never a fresh one: two
  // threads calling each other would otherwise renew their slices at every switch and never
  // let a third thread of their priority run (round robin starves). A used-up slice takes the
  // ordinary path through the run queue.
  const uint32_t slice_left = c.current != nullptr ? c.current->sched().slice_left : 0;
  if (!AllowedOn(ns, c.index) || c.queue.HighestPriority() > priority || slice_left == 0) {
    EnqueueLocked(c, next);
    Reschedule(c);
    return;
  }
  SwitchTo(c, c.current, next, slice_left);
}

namespace {

// FinishSwitch's rare part: `prev` (just switched out, c.lock held) is to be moved to another
// CPU or handed to the reaper. Releases c.lock.
[[gnu::noinline]] void FinishSwitchOfLeaving(CpuSched& c, Thread* prev) TA_RELEASE(c.lock) {
  Thread* migrate = nullptr;
  bool reap = false;
  ThreadSched& ps = prev->sched();
  if (ps.state.Load(MemoryOrder::kRelaxed) == ThreadState::kReady && ps.link.owner == nullptr) {
    migrate = prev;
  } else if ((ps.state.Load(MemoryOrder::kRelaxed) == ThreadState::kStopped ||
              ps.state.Load(MemoryOrder::kRelaxed) == ThreadState::kExited) &&
             ps.alive) {
    // The scheduler's reference goes, but not here: dropping it may destroy the thread
    // (and its process), which needs a thread context (the reaper).
    ps.alive = false;
    if (ps.state.Load(MemoryOrder::kRelaxed) == ThreadState::kExited) ps.exit_switched_out = true;
    reap = true;
  }
  c.lock.Unlock();
  if (migrate != nullptr) MigrateInTransit(migrate);
  if (reap) QueueForReaper(prev);
}

}  // namespace

void FinishSwitch() {
  CpuSched& c = ThisCpu();
  c.lock.AssertHeld();  // taken by the thread that switched to this one (SwitchContext)
  Thread* prev = c.previous;
  c.previous = nullptr;
  if (prev != nullptr) {
    // The common case (prev blocked, or ready in a queue) only unlocks; the rest, out of line.
    const ThreadSched& ps = prev->sched();
    const ThreadState state = ps.state.Load(MemoryOrder::kRelaxed);
    const bool leaving =
        (state == ThreadState::kReady && ps.link.owner == nullptr) ||
        ((state == ThreadState::kStopped || state == ThreadState::kExited) && ps.alive);
    if (leaving) {
      FinishSwitchOfLeaving(c, prev);
      return;
    }
  }
  c.lock.Unlock();
}

void PrepareFirstRun(ThreadSched& sched) {
  sched.saved_rsp = arch::ThreadContext::PrepareFirstSwitch(sched.stack.top - kUserFrameReserve);
}

void PreemptIfNeeded() {
  if (!Initialized()) return;
  arch::InterruptState flags = SaveAndDisableInterrupts();
  CpuSched& c = ThisCpu();
  bool may_switch = arch::InterruptsWereEnabled(flags) && Load(c.ready) && !Load(c.idle_running) &&
                    Load(c.need_resched) &&
                    c.current->sched().preempt_disabled.Load(MemoryOrder::kRelaxed) == 0;
  if (may_switch) {
    Store(c.need_resched, false);
    c.lock.Lock();
    Reschedule(c);
  }
  RestoreInterrupts(flags);
}

}  // namespace internal

using internal::Count;
using internal::CpuSched;
using internal::Load;
using internal::Store;

extern "C" void ThreadFirstRun() {
  arch::SetInterruptDepth(0);  // a new context is in no interrupt handler
  internal::FinishSwitch();
  Thread* self = CurrentThread();
  ThreadSched& sched = self->sched();
  if (sched.user) internal::EnterUserFromRegs();  // applies pending stop/kill first
  arch::IrqOffStretchEnd();
  arch::EnableInterrupts();
  internal::ThreadAccess::entry (*self)(internal::ThreadAccess::entry_arg(*self));
  internal::ExitCurrent({uapi::ExitReason::kExited, 0, 0});
}

namespace {

// The panic's per-CPU report (panic/cpu_reports.h): this CPU's thread, from an NMI handler.
// Lock-free reads only: the thread is the one the NMI interrupted, so it is alive.
void WriteCurrentThreadForPanic(format::Sink sink, void* context) {
  Thread* thread = CurrentThread();
  if (thread == nullptr) {
    format::Format(sink, context, "no thread (idle)");
    return;
  }
  format::Format(sink, context, "thread %s (id %u",
                 thread->name()[0] != '\0' ? thread->name() : "?", thread->id());
  const ThreadOwner& owner = thread->owner_hooks();
  uint64_t group = owner.group_id != nullptr ? owner.group_id(*thread) : 0;
  if (group != 0) format::Format(sink, context, ", process %lu", group);
  format::Format(sink, context, "%s)", thread->is_user() ? ", user" : "");
}

}  // namespace

void Init() {
  internal::g_kernel_cr3 = mm::KernelPageTableRoot();
  for (uint32_t i = 0; i < arch::kMaxCpus; ++i) internal::g_cpus[i].index = i;
  arch::SetUserFaultHandler([](arch::InterruptFrame& frame, uint64_t vector, uint64_t cr2) {
    return OnUserFault(frame, vector, cr2);
  });
  internal::g_initialized.Store(true, MemoryOrder::kRelease);
  panic::SetCurrentThreadWriter(WriteCurrentThreadForPanic);
  klog::Log("sched", "%u priorities, %u-tick slices at %u Hz, per-CPU run queues", kPriorityLevels,
            kTimeSliceTicks, arch::kTickHz);
}

void InitCpu(unsigned cpu) {
  while (!internal::Initialized()) arch::Pause();  // APs may get here before Init()
  if (cpu >= arch::kMaxCpus || cpu != arch::CpuIndex()) {
    panic::Panic("sched: InitCpu(%u) on cpu%u", cpu, arch::CpuIndex());
  }
  arch::ThreadContext::InitCpu();
  CpuSched& c = internal::g_cpus[cpu];
  auto idle = internal::AllocateIdleThread(cpu);
  if (!idle.ok()) panic::Panic("sched: no memory for cpu%u's idle thread", cpu);
  Thread* thread = idle.value();
  ThreadSched& sched = thread->sched();
  sched.idle = true;
  sched.state.Store(ThreadState::kRunning, MemoryOrder::kRelaxed);
  sched.cpu.Store(cpu, MemoryOrder::kRelaxed);
  sched.affinity.Store(1ull << cpu, MemoryOrder::kRelaxed);
  c.idle = thread;
  c.current = thread;
  c.loaded_cr3 = arch::ActiveAddressSpaceRoot();
  Store(c.idle_running, true);
  c.ready.Store(true, MemoryOrder::kRelease);
  internal::g_online.FetchOr(1ull << cpu, MemoryOrder::kAcqRel);
  if (cpu == 0) {
    arch::SetTimerTickHandler(OnTimerTick);
    internal::StartReaper();
  }
}

uint64_t JoinOnlineCpus() {
  uint64_t expected = arch::OnlineCpuMask() | 1;
  uint32_t self = arch::CpuIndex();
  for (uint64_t rest = expected & ~(1ull << self); rest != 0; rest &= rest - 1) {
    (void)arch::WakeCpu(static_cast<uint32_t>(__builtin_ctzll(rest)));
  }
  uint64_t deadline = time::NowNanoseconds() + 1'000'000'000ull;
  while ((internal::OnlineMask() & expected) != expected) {
    if (time::NowNanoseconds() > deadline) {
      klog::Log("sched", "warning: CPUs %#lx did not join the scheduler",
                expected & ~internal::OnlineMask());
      break;
    }
    arch::Pause();
  }
  uint64_t joined = internal::OnlineMask();
  klog::Log("sched", "%u CPUs scheduling (mask %#lx)",
            static_cast<unsigned>(__builtin_popcountll(joined)), joined);
  return joined;
}

bool CpuReady() {
  if (!internal::Initialized()) return false;
  uint32_t cpu = arch::CpuIndexIfReady();
  return cpu != arch::kNoCpu && internal::g_cpus[cpu].ready.Load(MemoryOrder::kAcquire);
}

void RunScheduler() {
  arch::DisableInterrupts();
  CpuSched& c = internal::ThisCpu();
  if (!Load(c.ready)) panic::Panic("sched: RunScheduler before InitCpu on cpu%u", c.index);
  for (;;) {
    arch::DisableInterrupts();
    if (Load(c.queued) == 0) internal::TryPull(c, true);
    c.lock.Lock();
    if (c.queue.count() != 0) {
      arch::IdleWorkFound();    // the last wake-up was not an empty one (SystemCpuTimes)
      internal::Reschedule(c);  // back here once this CPU has nothing to run again
      continue;
    }
    c.lock.Unlock();
    // Atomic with the enable: a wake-up IPI sent after the check above still ends the wait.
    // The wait is accounted as this CPU's idle time (SystemCpuTimes).
    arch::IdleWait();
  }
}

void Yield() {
  if (!CpuReady()) return;
  arch::InterruptState flags = internal::SaveAndDisableInterrupts();
  CpuSched& c = internal::ThisCpu();
  if (!Load(c.idle_running)) {
    Store(c.need_resched, false);
    c.lock.Lock();
    internal::Reschedule(c);
  }
  internal::RestoreInterrupts(flags);
}

void PreemptionPoint() {
  if (!CpuReady()) return;
  // Only kernel code running with interrupts off outside any interrupt handler opens a window
  // (a handler must finish first; code that turned interrupts on is preemptible anyway).
  if (arch::InterruptsEnabled() || arch::InterruptDepth() != 0) return;
  // Pending cross calls (TLB shootdowns) and the timer come in here. A tick that finds this
  // thread's slice used up switches away right inside the window (OnTimerTick), unless
  // preemption is disabled, in which case it only records need_resched.
  arch::OpenInterruptWindow();
  CpuSched& c = internal::ThisCpu();  // maybe another CPU than before the window
  if (Load(c.idle_running) || !Load(c.need_resched)) return;
  Thread* self = c.current;
  if (self->sched().preempt_disabled.Load(MemoryOrder::kRelaxed) != 0) return;
  Yield();
}

void OnTimerTick(arch::InterruptFrame& frame) {
  if (!internal::Initialized()) return;
  CpuSched& c = internal::ThisCpu();
  if (!Load(c.ready)) return;
  uint64_t tick = c.ticks.FetchAdd(1, MemoryOrder::kRelaxed) + 1;
  internal::ExpireDeadlines(c);
  if (Load(c.idle_running)) {
    Count(c.idle_ticks);  // the idle loop itself looks for work when HLT returns
    return;
  }
  Thread* self = c.current;
  ThreadSched& sched = self->sched();
  sched.run_ticks.FetchAdd(1, MemoryOrder::kRelaxed);
  bool from_user = arch::FromUserMode(frame);
  if (from_user && internal::ApplyUserBoundaryWork(frame)) return;
  if (tick % kBalanceIntervalTicks == 0) internal::TryPull(c, false);
  if (sched.slice_left > 0) --sched.slice_left;
  bool due = sched.slice_left == 0 || Load(c.need_resched);
  if (!due) return;
  if (sched.preempt_disabled.Load(MemoryOrder::kRelaxed) != 0) {
    Store(c.need_resched, true);
    return;
  }
  Store(c.need_resched, false);
  c.lock.Lock();
  if (from_user) sched.user_frame = &frame;
  internal::Reschedule(c);
  // Running again: a stop or kill requested meanwhile takes effect before user mode resumes.
  if (from_user) internal::ApplyUserBoundaryWork(frame);
}

void PreemptDisable() {
  Thread* self = CurrentThread();
  if (self == nullptr) return;
  self->sched().preempt_disabled.FetchAdd(1, MemoryOrder::kRelaxed);
  SignalFence(MemoryOrder::kSeqCst);  // compiler barrier: the section starts here
}

void PreemptEnable() {
  Thread* self = CurrentThread();
  if (self == nullptr) return;
  SignalFence(MemoryOrder::kSeqCst);  // compiler barrier: the section ends here
  if (self->sched().preempt_disabled.FetchSub(1, MemoryOrder::kRelaxed) == 0) {
    panic::Panic("sched: PreemptEnable without PreemptDisable");
  }
  internal::PreemptIfNeeded();
}

uint32_t CurrentCpuIndex() {
  return arch::CpuIndex();
}

uint64_t OnlineCpuMask() {
  return internal::OnlineMask();
}

CpuStats GetCpuStats(uint32_t cpu) {
  CpuSched& c = internal::Cpu(cpu);
  return {Load(c.ticks),  Load(c.idle_ticks), Load(c.switches),
          Load(c.steals), Load(c.queued),     !Load(c.idle_running)};
}

}  // namespace hiillos::sched
