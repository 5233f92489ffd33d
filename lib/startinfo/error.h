// lib/startinfo/error.h — why a start-information block could not be decoded or built.
#pragma once

#include <stdint.h>

namespace hiillos::startinfo {

enum class Error : uint8_t {
  kTooSmall,             // fewer bytes than a header, or than total_size says
  kBadMagic,             // magic is not kMagic
  kBadVersion,           // version is not kVersion
  kBadHeaderSize,        // header_size is not sizeof(StartInfoHeader)
  kBadTotalSize,         // total_size above kMaxBlockSize or not strings_offset + strings_size
  kTooManyArgs,          // arg_count above kMaxArgs
  kTooManyEnv,           // env_count above kMaxEnv
  kTooManyCaps,          // cap_count above kMaxCaps
  kBadStringsOffset,     // strings_offset is not right after the tables
  kReservedNotZero,      // a reserved field is not zero
  kBadPid,               // pid is zero
  kBadStringOffset,      // a string does not start right after the previous one's NUL
  kStringTooLong,        // a string longer than kMaxStringLength
  kStringOutOfBounds,    // a string (or its NUL) reaches past the string area
  kStringNotTerminated,  // the byte after a string is not NUL
  kNulInString,          // a NUL inside a string's length
  kBadEnvEntry,          // an environment entry without '=' or with an empty key
  kBadCapName,           // an empty capability name, or one used twice
  kBadCapHandle,         // a capability handle of zero
  kTrailingBytes,        // string bytes after the last string
  kNoRoom,               // (encoder) the block would exceed the buffer or kMaxBlockSize
};

const char* ErrorName(Error error);

}  // namespace hiillos::startinfo
