// lib/path/error.h — why a URL could not be parsed or resolved.
#pragma once

#include <stdint.h>

namespace hiillos::path {

enum class Error : uint8_t {
  kEmpty,              // no bytes at all
  kInputTooLong,       // more than kMaxInputLength bytes
  kNulByte,            // a NUL byte anywhere
  kUnknownScheme,      // "scheme://" with a scheme other than fs and initfs
  kNotAbsolute,        // neither "/..." nor "scheme:///..." (relative path, or a host part)
  kEscapesRoot,        // ".." above the namespace root
  kPathTooLong,        // normalised path longer than kMaxPathLength
  kTooManyComponents,  // more than kMaxComponents components at some point
  kComponentTooLong,   // a component longer than kMaxComponentLength
  kMountTableFull,     // kMaxMounts mounts already
  kAlreadyMounted,     // a mount at exactly this point exists
  kNotMounted,         // no mount at exactly this point
  kNoMount,            // no mount covers the path
};

const char* ErrorName(Error error);

}  // namespace hiillos::path
