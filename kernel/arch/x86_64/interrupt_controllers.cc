// kernel/arch/x86_64/interrupt_controllers.cc — the order of the interrupt hardware set-up.
#include "kernel/arch/x86_64/interrupt_controllers.h"

#include "kernel/arch/x86_64/ioapic.h"
#include "kernel/arch/x86_64/ipi.h"
#include "kernel/arch/x86_64/kernel_services.h"
#include "kernel/arch/x86_64/lapic.h"
#include "kernel/arch/x86_64/mmio_window.h"
#include "kernel/arch/x86_64/percpu.h"
#include "kernel/arch/x86_64/pic.h"

namespace hiillos::arch {
namespace {
uint64_t g_lapic_window;  // boot CPU, once
}  // namespace

void InterruptControllersInit(const acpi::Madt& madt) {
  // No MADT at all: assume a PC and mask the PICs anyway (the ports are harmless if absent).
  bool no_madt = madt.cpu_count == 0;
  if (madt.pcat_compat || no_madt) PicRemapAndMask();

  LapicMode mode = LapicChooseMode();
  uint64_t phys = LapicPhysBase();
  if (mode == LapicMode::kXapic) {
    auto window = MapMmio(phys, 0x1000);
    if (!window.ok()) {
      kernel_services::Panic("lapic: cannot map the xAPIC window at %#lx (error %u)", phys,
                             static_cast<unsigned>(window.error()));
    }
    g_lapic_window = window.value();
  }
  if (!no_madt && madt.local_apic_address != phys) {
    kernel_services::Log("lapic", "note: MADT says %#lx, IA32_APIC_BASE says %#lx (using the MSR)",
                         madt.local_apic_address, phys);
  }
  LapicGlobalInit(mode, g_lapic_window);
  uint32_t self = CurrentCpu()->lapic_id;
  LapicCpuInit(LocalApicConfigFor(madt, self));
  if (LapicId() != self) {
    kernel_services::Log("lapic", "warning: CPUID says lapic id %u, the APIC says %u", self,
                         LapicId());
  }
  kernel_services::Log("lapic",
                       "%s, registers at phys %#lx (window %#lx), version %#x, boot CPU id %u",
                       mode == LapicMode::kX2apic ? "x2APIC (MSRs)" : "xAPIC (MMIO, uncached)",
                       phys, g_lapic_window, LapicRead(kLapicVersion) & 0xff, LapicId());
  IpiInit();
  IoApicInit(madt);
  if (IoApicCount() == 0) kernel_services::Log("irq", "no usable IOAPIC: no device interrupts");
}

uint64_t LapicWindow() {
  return g_lapic_window;
}

}  // namespace hiillos::arch
