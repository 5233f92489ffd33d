// services/root/initfs/error.cc — names of the initfs errors (logs, tests).
#include "services/root/initfs/error.h"

namespace hiillos::initfs {

const char* ErrorName(Error error) {
  switch (error) {
    case Error::kBadPath:
      return "BadPath";
    case Error::kWrongScheme:
      return "WrongScheme";
    case Error::kNotFound:
      return "NotFound";
    case Error::kNotADirectory:
      return "NotADirectory";
    case Error::kNotAFile:
      return "NotAFile";
    case Error::kBadHandle:
      return "BadHandle";
    case Error::kTooManyOpen:
      return "TooManyOpen";
    case Error::kEndOfDirectory:
      return "EndOfDirectory";
  }
  return "Unknown";
}

}  // namespace hiillos::initfs
