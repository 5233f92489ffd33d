// lib/ustar/octal.h — parsing and encoding of ustar's fixed-width octal ASCII number fields.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "lib/base/result.h"
#include "lib/ustar/format.h"

namespace hiillos::ustar {

// Parses a numeric field: optional leading spaces, one or more octal digits, then only spaces
// or NULs to the end of the field. Anything else (no digits, a stray byte, GNU base-256) is
// Error::kBadNumber. `width` is at most 12, so the value always fits in 36 bits.
Result<uint64_t, Error> ParseOctal(const char* field, size_t width);

// Like ParseOctal, but a field of only spaces and NULs reads as 0 (devmajor/devminor are often
// left empty by writers for entries that are not devices).
Result<uint64_t, Error> ParseOptionalOctal(const char* field, size_t width);

// Writes `value` as width-1 zero-padded octal digits and a NUL. Error::kBadNumber when the
// value needs more digits than that.
Result<void, Error> EncodeOctal(uint64_t value, char* field, size_t width);

}  // namespace hiillos::ustar
