// lib/startinfo/error.cc — human-readable names of startinfo::Error values.
#include "lib/startinfo/error.h"

namespace hiillos::startinfo {

const char* ErrorName(Error error) {
  switch (error) {
    case Error::kTooSmall:
      return "start info truncated";
    case Error::kBadMagic:
      return "bad start info magic";
    case Error::kBadVersion:
      return "unsupported start info version";
    case Error::kBadHeaderSize:
      return "bad start info header size";
    case Error::kBadTotalSize:
      return "bad start info total size";
    case Error::kTooManyArgs:
      return "too many arguments";
    case Error::kTooManyEnv:
      return "too many environment entries";
    case Error::kTooManyCaps:
      return "too many initial capabilities";
    case Error::kBadStringsOffset:
      return "string area not right after the tables";
    case Error::kReservedNotZero:
      return "reserved field not zero";
    case Error::kBadPid:
      return "pid is zero";
    case Error::kBadStringOffset:
      return "string not at its canonical offset";
    case Error::kStringTooLong:
      return "string too long";
    case Error::kStringOutOfBounds:
      return "string outside the string area";
    case Error::kStringNotTerminated:
      return "string not NUL-terminated";
    case Error::kNulInString:
      return "NUL byte inside a string";
    case Error::kBadEnvEntry:
      return "environment entry is not key=value";
    case Error::kBadCapName:
      return "empty or duplicate capability name";
    case Error::kBadCapHandle:
      return "capability handle is zero";
    case Error::kTrailingBytes:
      return "bytes after the last string";
    case Error::kNoRoom:
      return "start info does not fit";
  }
  return "unknown start info error";
}

}  // namespace hiillos::startinfo
