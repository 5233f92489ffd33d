// kernel/arch/x86_64/smp.cc — AP start-up (SDM Vol.3A §8.4.4 "MP Initialization Example",
// §10.6.1 INIT and start-up IPIs) and each AP's path from the trampoline to its idle loop.
#include "kernel/arch/x86_64/smp.h"

#include "kernel/arch/x86_64/cpu_features.h"
#include "kernel/arch/x86_64/cpu_init.h"
#include "kernel/arch/x86_64/ipi.h"
#include "kernel/arch/x86_64/kernel_services.h"
#include "kernel/arch/x86_64/lapic.h"
#include "kernel/arch/x86_64/lapic_timer.h"
#include "kernel/arch/x86_64/low_memory.h"
#include "kernel/arch/x86_64/mmu.h"
#include "kernel/arch/x86_64/percpu.h"
#include "lib/base/atomic.h"
#include "lib/base/page_size.h"
#include "lib/paging/page_table_entry.h"
#include "lib/x86/cpu.h"
#include "lib/x86/msr.h"

// trampoline.S
extern "C" const uint8_t ApTrampolineStart[], ApTrampolineEnd[], ApTrampolineData[];

namespace hiillos::arch {

// Entered from the trampoline on the AP's new stack (extern "C": the trampoline jumps to it).
extern "C" [[noreturn]] void ApMain(uint64_t cpu_index);

namespace {

constexpr unsigned kApStackOrder = 4;                // 64 KiB, like the boot CPU's kernel stack
constexpr uint64_t kInitDelayNs = 10'000'000;        // 10 ms after INIT (SDM §8.4.4.1)
constexpr uint64_t kStartupDelayNs = 200'000;        // 200 us after each start-up IPI
constexpr uint64_t kStartTimeoutNs = 2'000'000'000;  // generous: emulators are slow

// The data block at ApTrampolineData (layout shared with trampoline.S).
struct TrampolineData {
  uint32_t cr3;   // temporary PML4, below 4 GiB
  uint32_t efer;  // IA32_EFER low half for the AP
  uint64_t stack_top;
  uint64_t entry;     // ApMain
  uint64_t argument;  // the AP's CPU index
};
static_assert(sizeof(TrampolineData) == 32);

struct ApRecord {
  uint32_t lapic_id;
  LapicLocalConfig lapic;
  // C++ only (trampoline.S uses TrampolineData): any layout will do.
  Atomic<uint32_t> started;  // set by the AP once it runs kernel code on its own stack
  Atomic<uint32_t> online;   // set by the AP once it takes interrupts
};
ApRecord g_aps[kMaxCpus];

uint64_t g_trampoline_page;  // code + data, the start-up IPI's target
uint64_t g_pml4_page;        // the temporary PML4
uint32_t g_expected = 1;

// A PML4 below 4 GiB for the switch to long mode: the kernel's upper half (shared PDPTs, so it
// stays current) plus an identity map of the first 2 MiB, where the trampoline runs, read-only
// and executable. SDM Vol.3A §4.5, Tables 4-15 (PML4E), 4-17 (PDPTE), 4-18 (2 MiB PDE).
bool BuildTemporaryPageTables() {
  auto pdpt = kernel_services::AllocatePages(0, true);
  if (!pdpt.ok()) return false;
  auto pd = kernel_services::AllocatePages(0, true);
  if (!pd.ok()) {
    kernel_services::FreePages(pdpt.value(), 0);
    return false;
  }
  auto* pml4 = static_cast<uint64_t*>(kernel_services::PhysToVirt(g_pml4_page));
  auto* pdpt_table = static_cast<uint64_t*>(kernel_services::PhysToVirt(pdpt.value()));
  auto* pd_table = static_cast<uint64_t*>(kernel_services::PhysToVirt(pd.value()));
  __builtin_memset(pml4, 0, kPageSize);
  __builtin_memset(pdpt_table, 0, kPageSize);
  __builtin_memset(pd_table, 0, kPageSize);
  const auto* kernel_pml4 = static_cast<const uint64_t*>(
      kernel_services::PhysToVirt(kernel_services::KernelPageTableRoot()));
  for (unsigned i = 256; i < 512; ++i) pml4[i] = kernel_pml4[i];
  pd_table[0] = paging::PageTableEntry::Leaf(0, paging::PageSize::k2M, {.executable = true}).raw();
  pdpt_table[0] = paging::PageTableEntry::Table(pd.value(), false).raw();
  pml4[0] = paging::PageTableEntry::Table(pdpt.value(), false).raw();
  return true;
}

TrampolineData* Data() {
  uint64_t offset = static_cast<uint64_t>(ApTrampolineData - ApTrampolineStart);
  return reinterpret_cast<TrampolineData*>(
      static_cast<uint8_t*>(kernel_services::PhysToVirt(g_trampoline_page)) + offset);
}

bool PrepareTrampoline(const uapi::BootInfo& info) {
  uint64_t size = static_cast<uint64_t>(ApTrampolineEnd - ApTrampolineStart);
  if (size > kPageSize) return false;
  uint64_t pages[2];
  if (FindLowPages(info.memory_map, info.memory_range_count, pages, 2) != 2) {
    kernel_services::Log("smp", "no two free pages below 1 MiB for the AP trampoline");
    return false;
  }
  g_trampoline_page = pages[0];
  g_pml4_page = pages[1];
  if (!BuildTemporaryPageTables()) {
    kernel_services::Log("smp", "no memory for the trampoline page tables");
    return false;
  }
  __builtin_memcpy(kernel_services::PhysToVirt(g_trampoline_page), ApTrampolineStart, size);
  TrampolineData* data = Data();
  data->cr3 = static_cast<uint32_t>(g_pml4_page);
  data->efer = static_cast<uint32_t>(x86::kEferLme | (Features().nx ? x86::kEferNxe : 0));
  data->entry = reinterpret_cast<uint64_t>(&ApMain);
  kernel_services::Log("smp", "trampoline at %#lx (%lu bytes), temporary PML4 at %#lx",
                       g_trampoline_page, size, g_pml4_page);
  return true;
}

bool WaitFor(const Atomic<uint32_t>& flag, uint64_t timeout_ns) {
  uint64_t start = kernel_services::NowNanoseconds();
  while (flag.Load(MemoryOrder::kAcquire) == 0) {
    if (kernel_services::NowNanoseconds() - start > timeout_ns) return false;
    x86::Pause();
  }
  return true;
}

// INIT, 10 ms, SIPI, 200 us, second SIPI unless the AP already runs (a SIPI to a running CPU is
// ignored anyway, SDM §8.4.4.1), then wait for it to come online.
bool StartAp(uint32_t index, const acpi::Cpu& cpu, const acpi::Madt& madt) {
  auto stack = kernel_services::AllocatePages(kApStackOrder, false);
  if (!stack.ok()) {
    kernel_services::Log("smp", "no memory for a kernel stack for lapic id %u", cpu.apic_id);
    return false;
  }
  ApRecord& ap = g_aps[index];
  ap.lapic_id = cpu.apic_id;
  ap.lapic = LocalApicConfigFor(madt, cpu.apic_id);
  ap.started.Store(0, MemoryOrder::kRelaxed);
  ap.online.Store(0, MemoryOrder::kRelaxed);
  TrampolineData* data = Data();
  data->stack_top = reinterpret_cast<uint64_t>(kernel_services::PhysToVirt(stack.value())) +
                    (0x1000ull << kApStackOrder);
  data->argument = index;
  ThreadFence(MemoryOrder::kSeqCst);  // the AP reads the block after our IPIs

  uint8_t vector = static_cast<uint8_t>(g_trampoline_page >> 12);
  LapicSendInit(cpu.apic_id);
  kernel_services::SpinDelay(kInitDelayNs);
  LapicSendStartup(cpu.apic_id, vector);
  kernel_services::SpinDelay(kStartupDelayNs);
  if (ap.started.Load(MemoryOrder::kAcquire) == 0) {
    LapicSendStartup(cpu.apic_id, vector);
    kernel_services::SpinDelay(kStartupDelayNs);
  }
  bool started = WaitFor(ap.started, kStartTimeoutNs);
  if (started && WaitFor(ap.online, kStartTimeoutNs)) return true;
  // Park it again (INIT puts it back into wait-for-SIPI) so it cannot run off later.
  LapicSendInit(cpu.apic_id);
  kernel_services::Log("smp", "cpu with lapic id %u did not %s within %lu ms", cpu.apic_id,
                       started ? "come online" : "start", kStartTimeoutNs / 1'000'000);
  if (!started) kernel_services::FreePages(stack.value(), kApStackOrder);
  return false;
}

Atomic<ApIdleHook> g_ap_idle_hook;  // set once by the scheduler (SetApIdleHook)

}  // namespace

extern "C" void ApMain(uint64_t cpu_index) {
  uint32_t index = static_cast<uint32_t>(cpu_index);
  ApRecord& ap = g_aps[index];
  PerCpuInit(index, ap.lapic_id);
  WriteCr3(kernel_services::KernelPageTableRoot());  // leave the trampoline's page tables
  ap.started.Store(1, MemoryOrder::kRelease);
  LapicCpuInit(ap.lapic);
  LapicTimerStartThisCpu();
  MarkCpuOnline(index);
  uint32_t apic_id = LapicId();
  if (apic_id != ap.lapic_id) {
    kernel_services::Log("smp", "warning: MADT said lapic id %u, the APIC says %u", ap.lapic_id,
                         apic_id);
  }
  kernel_services::Log("smp", "cpu%u online (lapic id %u)", index, ap.lapic_id);
  ap.online.Store(1, MemoryOrder::kRelease);
  IdleForever();
}

void SmpInit(const acpi::Madt& madt, const uapi::BootInfo& info) {
  uint32_t listed = madt.cpu_count < acpi::kMaxCpus ? madt.cpu_count : acpi::kMaxCpus;
  uint32_t self = LapicId();
  g_expected = listed == 0 ? 1 : listed;
  kernel_services::Log("smp", "cpu0 online (lapic id %u, boot CPU)", self);
  if (listed > 1 && PrepareTrampoline(info)) {
    uint32_t next = 1;
    for (uint32_t i = 0; i < listed; ++i) {
      const acpi::Cpu& cpu = madt.cpus[i];
      if (cpu.apic_id == self) continue;
      if (next >= kMaxCpus) {
        kernel_services::Log("smp", "lapic id %u: more than %u CPUs, not started", cpu.apic_id,
                             kMaxCpus);
        continue;
      }
      if (CurrentLapicMode() == LapicMode::kXapic && cpu.apic_id > 0xff) {
        kernel_services::Log("smp", "lapic id %u needs x2APIC mode, not started", cpu.apic_id);
        continue;
      }
      if (StartAp(next, cpu, madt)) ++next;
    }
  }
  kernel_services::Log("smp", "%u of %u CPUs online", OnlineCpus(), g_expected);
}

uint32_t SmpExpectedCpus() {
  return g_expected;
}

uint64_t SmpTrampolinePage() {
  return g_trampoline_page;
}

void SetApIdleHook(ApIdleHook hook) {
  g_ap_idle_hook.Store(hook, MemoryOrder::kRelease);
}

void IdleForever() {
  for (;;) {
    ApIdleHook hook = g_ap_idle_hook.Load(MemoryOrder::kAcquire);
    if (hook != nullptr && CurrentCpu()->index != 0) {
      x86::DisableInterrupts();
      hook(CurrentCpu()->index);
    }
    // STI's one-instruction shadow makes "sti; hlt" atomic: a wake-up cannot slip in between.
    asm volatile("sti; hlt" ::: "memory");
  }
}

}  // namespace hiillos::arch
