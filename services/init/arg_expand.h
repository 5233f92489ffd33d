// services/init/arg_expand.h — filling in a service's arguments from init's environment: each
// `${KEY}` in an init.conf argument is replaced by the value of init's environment entry KEY
// (root passes acpi.rsdp=, boot.root=, ...: docs/services.md). Pure logic, host-tested.
#pragma once

#include <stddef.h>

namespace hiillos::init {

enum class ExpandError {
  kOk,
  kUnset,     // a ${KEY} names no environment entry (*missing says which)
  kTooLong,   // the result does not fit the output buffer
  kUnclosed,  // "${" without "}"
};

const char* ExpandErrorName(ExpandError error);

// Looks up environment entry key[0, key_length); false when there is none.
using EnvLookup = bool (*)(void* context, const char* key, size_t key_length, const char** value,
                           size_t* value_length);

struct Missing {
  const char* key = nullptr;  // into `arg`
  size_t length = 0;
};

// Writes `arg` (NUL-terminated) with every ${KEY} replaced into out[0, capacity), NUL-terminated.
// On kUnset, *missing names the first unset key. A '$' not followed by '{' is copied as it is.
ExpandError ExpandArg(const char* arg, EnvLookup lookup, void* context, char* out, size_t capacity,
                      Missing* missing);

}  // namespace hiillos::init
