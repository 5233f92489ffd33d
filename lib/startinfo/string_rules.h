// lib/startinfo/string_rules.h — the rules every string of a block obeys, shared by the decoder
// and the builder so both accept exactly the same strings.
#pragma once

#include "lib/base/result.h"
#include "lib/startinfo/bytes.h"
#include "lib/startinfo/error.h"
#include "lib/startinfo/layout.h"

namespace hiillos::startinfo {

// At most kMaxStringLength bytes, none of them NUL.
inline Result<void, Error> CheckStringBytes(Text text) {
  if (text.length > kMaxStringLength) return Err(Error::kStringTooLong);
  for (size_t i = 0; i < text.length; ++i) {
    if (text.data[i] == 0) return Err(Error::kNulInString);
  }
  return Ok<Error>();
}

// "key=value" with a non-empty key (the first '=' ends the key; the value may be empty).
inline Result<void, Error> CheckEnvEntry(Text text) {
  for (size_t i = 0; i < text.length; ++i) {
    if (text.data[i] == '=') {
      if (i == 0) return Err(Error::kBadEnvEntry);
      return Ok<Error>();
    }
  }
  return Err(Error::kBadEnvEntry);
}

}  // namespace hiillos::startinfo
