// kernel/acpi/acpi_ktest.cc — in-kernel tests of ACPI discovery on the real firmware tables.
#include <stdint.h>

#include "kernel/acpi/platform_acpi.h"
#include "kernel/boot/boot_state.h"
#include "kernel/test/ktest.h"

namespace hiillos::acpi {

KTEST(acpi, firmware_tables_were_discovered) {
  KASSERT(PlatformAcpiAvailable());
  const AcpiInfo& info = PlatformAcpi();
  KEXPECT(info.madt.cpu_count >= 1);
  KEXPECT(info.madt.io_apic_count >= 1);
  KEXPECT(info.madt.local_apic_address != 0);
  KEXPECT(info.hpet.valid());  // QEMU q35 provides HPET and MCFG
  KEXPECT(info.mcfg.valid());
}

KTEST(acpi, hhdm_reader_refuses_memory_the_kernel_owns) {
  const uapi::BootInfo& boot = boot::SavedBootInfo();
  PhysReader reader = MakeHhdmReader(boot);
  KEXPECT(reader.Read(boot.acpi_rsdp, 20).ok());          // the RSDP itself is readable
  KEXPECT(!reader.Read(boot.kernel_phys_base, 16).ok());  // the kernel image is not
  KEXPECT(!reader.Read(~0ull - 8, 16).ok());              // wraps
  KEXPECT(!reader.Read(1ull << 60, 16).ok());             // beyond the direct map
  bool usable_refused = true;
  for (uint32_t i = 0; i < boot.memory_range_count; ++i) {
    if (boot.memory_map[i].kind == uapi::MemoryKind::kUsable) {
      usable_refused = usable_refused && !reader.Read(boot.memory_map[i].base, 8).ok();
    }
  }
  KEXPECT(usable_refused);
}

}  // namespace hiillos::acpi
