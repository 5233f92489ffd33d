// services/init/config_error.h — why init's configuration was refused, and on which line.
#pragma once

#include <stdint.h>

namespace hiillos::init {

enum class ConfigError : uint8_t {
  kLineTooLong,        // a line longer than kMaxLineLength
  kSyntax,             // neither "[name]", "key = value", a comment nor blank
  kKeyOutsideService,  // "key = value" before the first "[name]"
  kBadName,            // a service or dependency name outside [a-z0-9_-]{1,31}
  kDuplicateService,   // two sections with the same name
  kTooManyServices,    // more than kMaxServices
  kUnknownKey,    // a key other than exec, args, needs, caps, restart, max_restarts, backoff_ms,
                  // sessions, ready, ready_timeout_ms, healthy_ms
  kDuplicateKey,  // a key given twice in one section
  kBadValue,      // a value that does not parse (number, restart policy, capability name)
  kBadExec,       // exec is not a valid initfs:// or fs:// path (lib/path rules)
  kMissingExec,   // a section without exec
  kTooManyItems,  // too many args, needs or caps, or their text does not fit
  kUnknownDependency,  // needs names a service that is not configured
  kDependencyCycle,    // needs form a cycle
};

const char* ConfigErrorName(ConfigError error);

// An error and where: `line` is 1-based (0 when the error is about the whole file, e.g. a
// cycle), `service` the index of the section concerned or -1.
struct ConfigProblem {
  ConfigError error;
  uint32_t line;
  int32_t service;
};

}  // namespace hiillos::init
