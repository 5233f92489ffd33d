// kernel/arch/x86_64/ipi.cc — cross-call slots and mailboxes, wake-up and panic-halt IPIs.
#include "kernel/arch/x86_64/ipi.h"

#include "kernel/arch/interrupts.h"
#include "kernel/arch/x86_64/idt.h"
#include "kernel/arch/x86_64/kernel_services.h"
#include "kernel/arch/x86_64/lapic.h"
#include "kernel/arch/x86_64/percpu.h"
#include "kernel/arch/x86_64/vectors.h"
#include "lib/base/atomic.h"
#include "lib/x86/control_registers.h"
#include "lib/x86/cpu.h"

namespace hiillos::arch {
namespace {

static_assert(kMaxCpus <= 64, "the online and pending masks are 64-bit");

constexpr uint64_t kCallTimeoutNs = 5'000'000'000ull;

// One request per sending CPU (see ipi.h). `remaining` counts targets that have not finished.
struct alignas(64) CallSlot {
  void (*fn)(void*);
  void* arg;
  Atomic<uint32_t> remaining;
};
// Per receiving CPU: bit s set = sender s has a request for this CPU.
struct alignas(64) Mailbox {
  Atomic<uint64_t> pending_senders;
  Atomic<uint64_t> wake_ups;
};

CallSlot g_slots[kMaxCpus];
Mailbox g_mailboxes[kMaxCpus];
Atomic<uint64_t> g_online_mask;

// Runs every request queued for CPU `self`. Interrupts are off.
void ServeRequests(uint32_t self) {
  uint64_t senders = g_mailboxes[self].pending_senders.Exchange(0, MemoryOrder::kAcquire);
  while (senders != 0) {
    uint32_t sender = static_cast<uint32_t>(__builtin_ctzll(senders));
    senders &= senders - 1;
    CallSlot& slot = g_slots[sender];
    slot.fn(slot.arg);
    slot.remaining.FetchSub(1, MemoryOrder::kRelease);
  }
}

// The spin-wait hook (arch::Pause, interrupts off): serves what is pending for this CPU.
void ServeWhileSpinning() {
  PerCpu* cpu = CurrentCpuIfReady();
  if (cpu == nullptr) return;
  if (g_mailboxes[cpu->index].pending_senders.Load(MemoryOrder::kRelaxed) == 0) return;
  ServeRequests(cpu->index);
}

void CrossCallInterrupt(InterruptFrame&) {
  LapicEoi();
  ServeRequests(CurrentCpu()->index);
}

void WakeUpInterrupt(InterruptFrame&) {
  uint32_t self = CurrentCpu()->index;
  g_mailboxes[self].wake_ups.FetchAdd(1, MemoryOrder::kRelaxed);
  LapicEoi();
}

// Posts fn(arg) to every CPU in `targets` (never the caller) and waits, serving requests to
// this CPU meanwhile. Interrupts must be off.
void CallAndWait(uint32_t self, uint64_t targets, void (*fn)(void*), void* arg) {
  CallSlot& slot = g_slots[self];
  slot.fn = fn;
  slot.arg = arg;
  slot.remaining.Store(static_cast<uint32_t>(__builtin_popcountll(targets)), MemoryOrder::kRelease);
  for (uint64_t rest = targets; rest != 0; rest &= rest - 1) {
    uint32_t target = static_cast<uint32_t>(__builtin_ctzll(rest));
    g_mailboxes[target].pending_senders.FetchOr(1ull << self, MemoryOrder::kRelease);
    LapicSendFixed(PerCpuRecord(target).lapic_id, kVectorCrossCall);
  }
  uint64_t start = kernel_services::NowNanoseconds();
  while (slot.remaining.Load(MemoryOrder::kAcquire) != 0) {
    ServeRequests(self);
    x86::Pause();
    if (kernel_services::NowNanoseconds() - start > kCallTimeoutNs) {
      kernel_services::Panic(
          "ipi: cross call from cpu%u: %u of the CPUs in mask %#lx did not answer", self,
          slot.remaining.Load(MemoryOrder::kAcquire), targets);
    }
  }
}

using InterruptsOff = InterruptGuard;

}  // namespace

void IpiInit() {
  if (!SetInterruptHandler(kVectorCrossCall, CrossCallInterrupt).ok() ||
      !SetInterruptHandler(kVectorWakeUp, WakeUpInterrupt).ok()) {
    kernel_services::Panic("ipi: IPI vectors already taken");
  }
  SetSpinWaitHook(ServeWhileSpinning);
  MarkCpuOnline(CurrentCpu()->index);
}

void MarkCpuOnline(uint32_t cpu_index) {
  g_online_mask.FetchOr(1ull << cpu_index, MemoryOrder::kRelease);
}

bool CpuOnline(uint32_t cpu_index) {
  return cpu_index < kMaxCpus && (OnlineCpuMask() >> cpu_index) & 1;
}

uint64_t OnlineCpuMask() {
  return g_online_mask.Load(MemoryOrder::kAcquire);
}

uint32_t OnlineCpus() {
  return static_cast<uint32_t>(__builtin_popcountll(OnlineCpuMask()));
}

Result<void, IpiError> RunOnCpu(uint32_t cpu_index, void (*fn)(void*), void* arg) {
  if (!CpuOnline(cpu_index)) return Err(IpiError::kNotOnline);
  InterruptsOff off;
  uint32_t self = CurrentCpu()->index;
  if (cpu_index == self) {
    fn(arg);
  } else {
    CallAndWait(self, 1ull << cpu_index, fn, arg);
  }
  return {};
}

void RunOnOtherCpus(void (*fn)(void*), void* arg) {
  InterruptsOff off;
  uint32_t self = CurrentCpu()->index;
  uint64_t targets = OnlineCpuMask() & ~(1ull << self);
  if (targets != 0) CallAndWait(self, targets, fn, arg);
}

void RunOnCpus(uint64_t targets, void (*fn)(void*), void* arg) {
  InterruptsOff off;
  uint32_t self = CurrentCpu()->index;
  targets &= OnlineCpuMask() & ~(1ull << self);
  if (targets != 0) CallAndWait(self, targets, fn, arg);
}

Result<void, IpiError> WakeCpu(uint32_t cpu_index) {
  if (!CpuOnline(cpu_index)) return Err(IpiError::kNotOnline);
  LapicSendFixed(PerCpuRecord(cpu_index).lapic_id, kVectorWakeUp);
  return {};
}

uint64_t WakeUpsReceived(uint32_t cpu_index) {
  if (cpu_index >= kMaxCpus) return 0;
  return g_mailboxes[cpu_index].wake_ups.Load(MemoryOrder::kRelaxed);
}

void HaltOtherCpus() {
  // Runs inside a panic: no locks, no per-CPU data assumptions; skip ourselves by APIC ID.
  if (CurrentLapicMode() == LapicMode::kNone) return;
  uint32_t self_apic = LapicId();
  uint64_t online = OnlineCpuMask();
  for (uint64_t rest = online; rest != 0; rest &= rest - 1) {
    uint32_t index = static_cast<uint32_t>(__builtin_ctzll(rest));
    uint32_t apic_id = PerCpuRecord(index).lapic_id;
    if (apic_id != self_apic) LapicSendNmi(apic_id);
  }
}

}  // namespace hiillos::arch
