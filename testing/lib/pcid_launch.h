// testing/lib/pcid_launch.h — how a root test program starts /sbin/pcid: its arguments (the
// path, then the RSDP physical address in hexadecimal) and its capabilities from root's
// authorities ("devices": DeviceMemory, "irq": the IRQ authority).
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "services/lib/loader.h"
#include "testing/lib/test_server.h"

namespace hiillos::testing_lib {

class PcidLaunch {
 public:
  static constexpr size_t kArgCount = 2;
  static constexpr size_t kCapCount = 2;

  explicit PcidLaunch(uint64_t acpi_rsdp);
  PcidLaunch(const PcidLaunch&) = delete;
  PcidLaunch& operator=(const PcidLaunch&) = delete;

  const char* path() const { return args_[0]; }
  const char* const* args() const { return args_; }
  const rt::SpawnCap* caps() const { return caps_; }

  // Sets start->path, args, arg_count, caps and cap_count (this object must outlive the start).
  void ApplyTo(ServerStart* start) const;

 private:
  char rsdp_[24] = {};
  const char* args_[kArgCount];
  rt::SpawnCap caps_[kCapCount];
};

}  // namespace hiillos::testing_lib
