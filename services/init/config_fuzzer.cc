// services/init/config_fuzzer.cc — ParseConfig over arbitrary bytes: never crashes, and a
// configuration it accepts has a start order that is a permutation respecting every need.
#include <stddef.h>
#include <stdint.h>

#include "services/init/service_config.h"

namespace {
hiillos::init::Config config;  // large: not on the stack
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace hiillos::init;
  if (!ParseConfig(reinterpret_cast<const char*>(data), size, config).ok()) return 0;
  size_t position[kMaxServices];
  bool seen[kMaxServices] = {};
  for (size_t i = 0; i < config.count; ++i) {
    const size_t s = config.start_order[i];
    if (s >= config.count || seen[s]) __builtin_trap();
    seen[s] = true;
    position[s] = i;
  }
  for (size_t s = 0; s < config.count; ++s) {
    const ServiceConfig& service = config.services[s];
    if (service.exec_length == 0) __builtin_trap();
    for (size_t n = 0; n < service.need_count; ++n) {
      if (position[service.needs[n]] >= position[s]) __builtin_trap();
    }
  }
  return 0;
}
