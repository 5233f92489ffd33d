// lib/path/error.cc — human-readable names of path::Error values.
#include "lib/path/error.h"

namespace hiillos::path {

const char* ErrorName(Error error) {
  switch (error) {
    case Error::kEmpty:
      return "empty path";
    case Error::kInputTooLong:
      return "URL too long";
    case Error::kNulByte:
      return "NUL byte in path";
    case Error::kUnknownScheme:
      return "unknown scheme";
    case Error::kNotAbsolute:
      return "path is not absolute";
    case Error::kEscapesRoot:
      return "'..' above the root";
    case Error::kPathTooLong:
      return "path too long";
    case Error::kTooManyComponents:
      return "too many path components";
    case Error::kComponentTooLong:
      return "path component too long";
    case Error::kMountTableFull:
      return "mount table full";
    case Error::kAlreadyMounted:
      return "already mounted";
    case Error::kNotMounted:
      return "not a mount point";
    case Error::kNoMount:
      return "no file system mounted there";
  }
  return "unknown path error";
}

}  // namespace hiillos::path
