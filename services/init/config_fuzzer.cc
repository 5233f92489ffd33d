// services/init/config_fuzzer.cc — ParseConfig over arbitrary bytes: never crashes, and a
// configuration it accepts has a start order that is a permutation respecting every need; its
// arguments go through ExpandArg (arg_expand.h) with a small environment, which never writes past
// the output or leaves it unterminated.
#include <stddef.h>
#include <stdint.h>

#include "services/init/arg_expand.h"
#include "services/init/service_config.h"

namespace {
hiillos::init::Config config;  // large: not on the stack

// Knows "a" (empty) and "boot.root" ("vda").
bool Lookup(void*, const char* key, size_t length, const char** value, size_t* value_length) {
  if (length == 1 && key[0] == 'a') {
    *value = "";
    *value_length = 0;
    return true;
  }
  if (length == 9 && __builtin_memcmp(key, "boot.root", 9) == 0) {
    *value = "vda";
    *value_length = 3;
    return true;
  }
  return false;
}
}  // namespace

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
    for (size_t a = 0; a < service.arg_count; ++a) {
      char out[24 + 1];
      out[24] = 'Z';  // a guard byte past the capacity given
      Missing missing;
      if (ExpandArg(service.arg(a), Lookup, nullptr, out, 24, &missing) == ExpandError::kOk) {
        if (__builtin_strlen(out) >= 24) __builtin_trap();
      }
      if (out[24] != 'Z') __builtin_trap();
    }
  }
  return 0;
}
