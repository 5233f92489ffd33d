// services/root/initfs/error.h — why an initfs:// request failed (the protocol's error set).
#pragma once

#include <stdint.h>

namespace hiillos::initfs {

enum class Error : uint8_t {
  kBadPath,         // not a valid initfs:// URL or absolute path (lib/path rules)
  kWrongScheme,     // a URL of another scheme (fs://): vfsd serves those
  kNotFound,        // nothing in the archive at that path
  kNotADirectory,   // ReadDir on a file
  kNotAFile,        // Read on a directory or symlink
  kBadHandle,       // not an open handle of this client (closed, never opened, another client's)
  kTooManyOpen,     // every handle slot is in use
  kEndOfDirectory,  // ReadDir index past the last entry
};

const char* ErrorName(Error error);

}  // namespace hiillos::initfs
