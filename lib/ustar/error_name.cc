// lib/ustar/error_name.cc — human-readable names of ustar::Error values.
#include "lib/ustar/format.h"

namespace hiillos::ustar {

const char* ErrorName(Error error) {
  switch (error) {
    case Error::kTruncated:
      return "truncated header block";
    case Error::kBadChecksum:
      return "bad header checksum";
    case Error::kBadMagic:
      return "not a POSIX ustar header";
    case Error::kBadNumber:
      return "malformed or out-of-range numeric field";
    case Error::kBadName:
      return "malformed name field";
    case Error::kNameTooLong:
      return "path does not fit the ustar name and prefix fields";
    case Error::kUnsupportedType:
      return "unsupported entry type";
    case Error::kBadSize:
      return "non-zero size for a directory or symlink";
    case Error::kDataOutOfBounds:
      return "entry data runs past the end of the archive";
    case Error::kBadEndMarker:
      return "missing or malformed end-of-archive marker";
    case Error::kDuplicatePath:
      return "duplicate path";
    case Error::kNotFound:
      return "no such entry";
  }
  return "unknown error";
}

}  // namespace hiillos::ustar
