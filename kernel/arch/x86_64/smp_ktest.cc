// kernel/arch/x86_64/smp_ktest.cc — in-kernel tests of AP start-up, cross calls, wake-up IPIs
// and TLB shootdown.
#include <stdint.h>

#include "kernel/acpi/platform_acpi.h"
#include "kernel/arch/x86_64/fault_probe.h"
#include "kernel/arch/x86_64/ipi.h"
#include "kernel/arch/x86_64/lapic.h"
#include "kernel/arch/x86_64/mmio_window.h"
#include "kernel/arch/x86_64/percpu.h"
#include "kernel/arch/x86_64/smp.h"
#include "kernel/arch/x86_64/tlb.h"
#include "kernel/arch/x86_64/vectors.h"
#include "kernel/mm/kernel_space.h"
#include "kernel/mm/pmm.h"
#include "kernel/test/ktest.h"
#include "kernel/time/clock.h"
#include "lib/base/atomic.h"
#include "lib/x86/control_registers.h"
#include "lib/x86/cpu.h"

namespace hiillos::arch {
namespace {

constexpr uint64_t kSecond = 1'000'000'000ull;

// Waits (interrupts as they are) until `done()` or the timeout; returns done().
template <typename F>
bool WaitUntil(F done, uint64_t timeout_ns) {
  uint64_t start = time::NowNanoseconds();
  while (!done()) {
    if (time::NowNanoseconds() - start > timeout_ns) return done();
    x86::Pause();
  }
  return true;
}

struct WhoAmI {
  uint32_t index;
  uint32_t apic_id;
  uint64_t rflags;
};

void RecordWhoAmI(void* arg) {
  auto* out = static_cast<WhoAmI*>(arg);
  out->index = CurrentCpu()->index;
  out->apic_id = LapicId();
  out->rflags = x86::ReadRflags();
}

struct Responders {
  Atomic<uint64_t> mask;
  Atomic<uint32_t> calls;
};

void RecordResponder(void* arg) {
  auto* out = static_cast<Responders*>(arg);
  out->mask.FetchOr(1ull << CurrentCpu()->index, MemoryOrder::kRelaxed);
  out->calls.FetchAdd(1, MemoryOrder::kRelaxed);
}

}  // namespace

KTEST(smp, every_madt_cpu_is_online) {
  const acpi::Madt& madt = acpi::PlatformAcpi().madt;
  KASSERT(acpi::PlatformAcpiAvailable());
  KEXPECT_EQ(SmpExpectedCpus(), madt.cpu_count);
  KEXPECT_EQ(OnlineCpus(), madt.cpu_count);
  KEXPECT_EQ(OnlineCpuCount(), madt.cpu_count);  // PerCpuInit ran on each
  // Dense indices 0..N-1, each with a distinct APIC ID the MADT lists.
  KEXPECT_EQ(OnlineCpuMask(), (madt.cpu_count >= 64 ? ~0ull : (1ull << madt.cpu_count) - 1));
  for (uint32_t i = 0; i < OnlineCpus(); ++i) {
    uint32_t id = PerCpuRecord(i).lapic_id;
    bool listed = false;
    for (uint32_t m = 0; m < madt.cpu_count; ++m) listed = listed || madt.cpus[m].apic_id == id;
    KEXPECT(listed);
    for (uint32_t j = 0; j < i; ++j) KEXPECT(PerCpuRecord(j).lapic_id != id);
  }
}

KTEST(smp, trampoline_page_is_free_low_memory) {
  if (SmpExpectedCpus() < 2) return;  // no AP, no trampoline
  uint64_t page = SmpTrampolinePage();
  KEXPECT(page >= 0x1000);
  KEXPECT(page < 0x10'0000);
  KEXPECT_EQ(page & 0xfff, 0u);
}

KTEST(smp, cross_call_runs_on_the_target_cpu) {
  for (uint32_t i = 0; i < OnlineCpus(); ++i) {
    WhoAmI seen{~0u, ~0u, 0};
    KASSERT(RunOnCpu(i, RecordWhoAmI, &seen).ok());
    KEXPECT_EQ(seen.index, i);
    KEXPECT_EQ(seen.apic_id, PerCpuRecord(i).lapic_id);
    KEXPECT_EQ(seen.rflags & x86::kRflagsInterrupt, 0u);  // interrupt context, IF off
  }
}

KTEST(smp, cross_call_to_missing_cpu_is_an_error) {
  int ran = 0;
  auto fn = [](void* arg) { ++*static_cast<int*>(arg); };
  auto missing = RunOnCpu(OnlineCpus(), fn, &ran);  // one past the last online CPU
  KEXPECT(!missing.ok() && missing.error() == IpiError::kNotOnline);
  auto huge = RunOnCpu(1000, fn, &ran);
  KEXPECT(!huge.ok() && huge.error() == IpiError::kNotOnline);
  KEXPECT(!WakeCpu(1000).ok());
  KEXPECT_EQ(ran, 0);
}

KTEST(smp, run_on_other_cpus_reaches_each_once) {
  Responders seen;
  RunOnOtherCpus(RecordResponder, &seen);
  uint64_t others = OnlineCpuMask() & ~(1ull << CurrentCpu()->index);
  KEXPECT_EQ(seen.mask.Load(MemoryOrder::kRelaxed), others);
  KEXPECT_EQ(seen.calls.Load(MemoryOrder::kRelaxed), OnlineCpus() - 1);
}

KTEST(smp, wake_up_ipi_reaches_each_cpu) {
  uint32_t self = CurrentCpu()->index;
  for (uint32_t i = 0; i < OnlineCpus(); ++i) {
    if (i == self) continue;
    uint64_t before = WakeUpsReceived(i);
    KASSERT(WakeCpu(i).ok());
    KEXPECT(WaitUntil([&] { return WakeUpsReceived(i) > before; }, kSecond));
  }
}

KTEST(smp, all_but_self_ipi_reaches_every_other_cpu) {
  uint32_t self = CurrentCpu()->index;
  uint64_t before[kMaxCpus];
  for (uint32_t i = 0; i < OnlineCpus(); ++i) before[i] = WakeUpsReceived(i);
  uint64_t self_before = WakeUpsReceived(self);
  LapicSendFixedAllButSelf(kVectorWakeUp);
  for (uint32_t i = 0; i < OnlineCpus(); ++i) {
    if (i == self) continue;
    KEXPECT(WaitUntil([&] { return WakeUpsReceived(i) > before[i]; }, kSecond));
  }
  KEXPECT_EQ(WakeUpsReceived(self), self_before);
}

// --- TLB shootdown -------------------------------------------------------------------------

namespace {

struct RemoteRead {
  uint64_t address;
  uint64_t value;
  bool faulted;
  uint64_t vector;
};

void ReadOnThisCpu(void* arg) {
  auto* read = static_cast<RemoteRead*>(arg);
  auto value = ProbeRead64(read->address);
  read->faulted = !value.ok();
  read->value = value.ok() ? value.value() : 0;
  read->vector = value.ok() ? 0 : value.error().vector;
}

struct RemoteWrite {
  uint64_t address;
  uint64_t value;
  bool faulted;
};

void WriteOnThisCpu(void* arg) {
  auto* write = static_cast<RemoteWrite*>(arg);
  uint64_t address = write->address;
  uint64_t value = write->value;
  auto result = Probe([address, value] { *reinterpret_cast<volatile uint64_t*>(address) = value; });
  write->faulted = !result.ok();
}

constexpr uint64_t kPatternA = 0xaaaa'aaaa'0000'0001ull;
constexpr uint64_t kPatternB = 0xbbbb'bbbb'0000'0002ull;

void Fill(uint64_t phys, uint64_t pattern) {
  auto* words = static_cast<uint64_t*>(mm::PhysToVirt(phys));
  for (int i = 0; i < 512; ++i) words[i] = pattern;
}

}  // namespace

KTEST(tlb, shootdown_makes_every_cpu_see_the_new_mapping) {
  auto a = mm::AllocatePages(0, mm::PageUse::kKernel);
  auto b = mm::AllocatePages(0, mm::PageUse::kKernel);
  KASSERT(a.ok() && b.ok());
  Fill(a.value(), kPatternA);
  Fill(b.value(), kPatternB);
  // A fresh page of kernel address space (the MMIO window hands out unique addresses).
  auto mapped = MapMmio(a.value(), 0x1000);
  KASSERT(mapped.ok());
  uint64_t va = mapped.value();
  uint32_t self = CurrentCpu()->index;
  uint64_t served_before[kMaxCpus];
  for (uint32_t i = 0; i < OnlineCpus(); ++i) served_before[i] = TlbInvalidationsServed(i);

  // 1. Every CPU reads through the mapping: each now caches the translation to A.
  for (uint32_t i = 0; i < OnlineCpus(); ++i) {
    RemoteRead read{va, 0, true, 0};
    KASSERT(RunOnCpu(i, ReadOnThisCpu, &read).ok());
    KEXPECT(!read.faulted);
    KEXPECT_EQ(read.value, kPatternA);
  }
  // 2. Remap to B: a CPU with a stale TLB entry would still read A.
  KASSERT(mm::KernelUnmap(va, 0x1000).ok());
  KASSERT(mm::KernelMap(va, b.value(), 0x1000, {.writable = true, .global = true}).ok());
  for (uint32_t i = 0; i < OnlineCpus(); ++i) {
    RemoteRead read{va, 0, true, 0};
    KASSERT(RunOnCpu(i, ReadOnThisCpu, &read).ok());
    KEXPECT(!read.faulted);
    KEXPECT_EQ(read.value, kPatternB);
    // Also write, so each CPU caches a writable translation.
    RemoteWrite write{va, kPatternB, true};
    KASSERT(RunOnCpu(i, WriteOnThisCpu, &write).ok());
    KEXPECT(!write.faulted);
  }
  // 3. Write-protect: no CPU may still write through a cached writable entry.
  KASSERT(mm::KernelProtect(va, 0x1000, {.global = true}).ok());
  for (uint32_t i = 0; i < OnlineCpus(); ++i) {
    RemoteWrite write{va, 0x5eed, false};
    KASSERT(RunOnCpu(i, WriteOnThisCpu, &write).ok());
    KEXPECT(write.faulted);
  }
  KEXPECT_EQ(*static_cast<uint64_t*>(mm::PhysToVirt(b.value())), kPatternB);
  // 4. Unmap: every CPU must fault now.
  KASSERT(mm::KernelUnmap(va, 0x1000).ok());
  for (uint32_t i = 0; i < OnlineCpus(); ++i) {
    RemoteRead read{va, 0, false, 0};
    KASSERT(RunOnCpu(i, ReadOnThisCpu, &read).ok());
    KEXPECT(read.faulted);
    KEXPECT_EQ(read.vector, 14u);  // #PF
  }
  // Each other CPU served the three shootdowns (unmap, protect, unmap); this CPU none.
  for (uint32_t i = 0; i < OnlineCpus(); ++i) {
    uint64_t served = TlbInvalidationsServed(i) - served_before[i];
    KEXPECT_EQ(served, i == self ? 0u : 3u);
  }
  KEXPECT(mm::FreePages(a.value(), 0).ok());
  KEXPECT(mm::FreePages(b.value(), 0).ok());
}

KTEST(tlb, user_shootdown_interrupts_no_cpu_without_the_space) {
  // A root no CPU has loaded (a fresh page, never a CR3): nobody to interrupt, whatever the
  // number of CPUs online.
  auto root = mm::AllocatePages(0, mm::PageUse::kPageTable);
  KASSERT(root.ok());
  const uint64_t sent = UserTlbShootdownsSent();
  uint64_t served_before[kMaxCpus];
  for (uint32_t i = 0; i < OnlineCpus(); ++i) served_before[i] = TlbInvalidationsServed(i);
  ShootdownUserRange(root.value(), 0x40'0000, 0x1000);
  ShootdownUserRange(root.value(), 0x40'0000, 0x100'0000);  // the full-flush size too
  KEXPECT_EQ(UserTlbShootdownsSent(), sent);
  for (uint32_t i = 0; i < OnlineCpus(); ++i) {
    KEXPECT_EQ(TlbInvalidationsServed(i), served_before[i]);
  }
  KEXPECT(mm::FreePages(root.value(), 0).ok());
}

KTEST(tlb, large_shootdown_flushes_everything) {
  // More than kTlbFullFlushThreshold pages: the full-flush path on every CPU.
  constexpr uint64_t kPages = kTlbFullFlushThreshold + 8;
  auto block = mm::AllocatePages(6, mm::PageUse::kKernel);  // 64 pages
  KASSERT(block.ok());
  for (uint64_t p = 0; p < kPages; ++p) Fill(block.value() + p * 0x1000, kPatternA + p);
  auto mapped = MapMmio(block.value(), kPages * 0x1000);
  KASSERT(mapped.ok());
  uint64_t va = mapped.value();
  for (uint32_t i = 0; i < OnlineCpus(); ++i) {
    RemoteRead read{va + (kPages - 1) * 0x1000, 0, true, 0};
    KASSERT(RunOnCpu(i, ReadOnThisCpu, &read).ok());
    KEXPECT_EQ(read.value, kPatternA + kPages - 1);
  }
  KASSERT(mm::KernelUnmap(va, kPages * 0x1000).ok());
  for (uint32_t i = 0; i < OnlineCpus(); ++i) {
    RemoteRead read{va + (kPages - 1) * 0x1000, 0, false, 0};
    KASSERT(RunOnCpu(i, ReadOnThisCpu, &read).ok());
    KEXPECT(read.faulted);
  }
  KEXPECT(mm::FreePages(block.value(), 6).ok());
}

}  // namespace hiillos::arch
