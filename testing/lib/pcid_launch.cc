// testing/lib/pcid_launch.cc — PcidLaunch: pcid's arguments and capabilities for a root test.
#include "testing/lib/pcid_launch.h"

#include "lib/format/format.h"
#include "uapi/initial_caps.h"

namespace hiillos::testing_lib {

PcidLaunch::PcidLaunch(uint64_t acpi_rsdp)
    : args_{"initfs:///sbin/pcid", rsdp_},
      // pcid derives a Read-only DeviceMemory for each claimant (Clone) and moves it (Transfer).
      caps_{
          {"devices", uapi::kRootDeviceMemoryHandle,
           uapi::Rights::kRead | uapi::Rights::kWrite | uapi::Rights::kClone |
               uapi::Rights::kTransfer},
          {"irq", uapi::kRootIrqHandle, uapi::Rights::kRead | uapi::Rights::kWrite},
      } {
  format::FormatToBuffer(rsdp_, sizeof(rsdp_), "%lx", acpi_rsdp);
}

void PcidLaunch::ApplyTo(ServerStart* start) const {
  start->path = path();
  start->args = args_;
  start->arg_count = kArgCount;
  start->caps = caps_;
  start->cap_count = kCapCount;
}

}  // namespace hiillos::testing_lib
