// kernel/arch/x86_64/interrupt_controllers.h — boot-CPU bring-up of the interrupt hardware:
// legacy PIC masked, local APIC (xAPIC window mapped or x2APIC), IPIs, IOAPICs.
#pragma once

#include "lib/acpi/madt.h"

namespace hiillos::arch {

// Boot CPU, once, interrupts off, after PerCpuInit and the kernel page tables. `madt` must
// outlive the kernel (the IOAPIC code keeps using its interrupt source overrides); an empty MADT
// (no ACPI) gives a local APIC at the IA32_APIC_BASE address and no IOAPIC. Panics if there is
// no usable local APIC.
void InterruptControllersInit(const acpi::Madt& madt);

// The local APIC's register window as mapped (0 in x2APIC mode), for tests.
uint64_t LapicWindow();

}  // namespace hiillos::arch
