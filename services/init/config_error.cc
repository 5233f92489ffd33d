// services/init/config_error.cc — names of the configuration errors (init's log lines).
#include "services/init/config_error.h"

namespace hiillos::init {

const char* ConfigErrorName(ConfigError error) {
  switch (error) {
    case ConfigError::kLineTooLong:
      return "LineTooLong";
    case ConfigError::kSyntax:
      return "Syntax";
    case ConfigError::kKeyOutsideService:
      return "KeyOutsideService";
    case ConfigError::kBadName:
      return "BadName";
    case ConfigError::kDuplicateService:
      return "DuplicateService";
    case ConfigError::kTooManyServices:
      return "TooManyServices";
    case ConfigError::kUnknownKey:
      return "UnknownKey";
    case ConfigError::kDuplicateKey:
      return "DuplicateKey";
    case ConfigError::kBadValue:
      return "BadValue";
    case ConfigError::kBadExec:
      return "BadExec";
    case ConfigError::kMissingExec:
      return "MissingExec";
    case ConfigError::kTooManyItems:
      return "TooManyItems";
    case ConfigError::kUnknownDependency:
      return "UnknownDependency";
    case ConfigError::kDependencyCycle:
      return "DependencyCycle";
  }
  return "Unknown";
}

}  // namespace hiillos::init
