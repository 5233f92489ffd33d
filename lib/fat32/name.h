// lib/fat32/name.h — FAT names: long names (UTF-16 <-> UTF-8), 8.3 short names, LFN checksums.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "lib/base/result.h"
#include "lib/fat32/error.h"

namespace hiillos::fat32 {

inline constexpr size_t kMaxNameUnits = 255;  // UTF-16 units of a long name
inline constexpr size_t kMaxNameBytes = 765;  // its UTF-8 form, at most 3 bytes per unit
inline constexpr size_t kShortNameBytes = 11;
// Tails ~1 .. ~(kMaxShortNameTail - 1) are tried for one short-name basis.
inline constexpr uint32_t kMaxShortNameTail = 8192;

// fatgen103 §7: the checksum of the 11-byte short name that every long-name slot carries.
uint8_t LfnChecksum(const uint8_t* short_name);

// "README.TXT" from "README  TXT" (honouring the NT lowercase flags; bytes >= 0x80 are read as
// ISO 8859-1). Writes at most 24 bytes plus a NUL to `out`; returns the length.
size_t ShortNameToUtf8(const uint8_t* short_name, uint8_t case_flags, char* out);

// Long name in UTF-16 to UTF-8 (unpaired surrogates become U+FFFD). `out` holds
// kMaxNameBytes + 1; the result is NUL-terminated. Returns the length.
size_t Utf16ToUtf8(const uint16_t* units, size_t count, char* out);

// Validates a new name (UTF-8) and converts it to UTF-16 in `units` (kMaxNameUnits entries).
// Errors: kBadName (empty, ".", "..", invalid UTF-8, control or `"*/:<>?\|` characters,
// trailing space or period), kNameTooLong.
Result<size_t, Error> NameToUtf16(const char* name, size_t length, uint16_t* units);

// ASCII case-insensitive equality (FAT compares names without case).
bool NamesEqual(const char* a, size_t a_length, const char* b, size_t b_length);

// True when `name` is already a valid upper-case 8.3 name; stores it space-padded in `out`.
bool ExactShortName(const char* name, size_t length, uint8_t* out);

// The Windows-style basis a short name is generated from: upper-cased, invalid characters
// replaced by '_', spaces and extra periods dropped, base cut to 8 and extension to 3.
struct ShortNameBasis {
  uint8_t base[8];
  uint8_t base_length;
  uint8_t extension[3];  // space padded
};
ShortNameBasis MakeShortNameBasis(const uint16_t* units, size_t count);

// basis + "~tail" in 11-byte form; the base is shortened so the tail fits.
void ShortNameWithTail(const ShortNameBasis& basis, uint32_t tail, uint8_t* out);
// The tail number `short_name` uses with this basis, or 0 when it is not basis~N.
uint32_t ShortNameTail(const ShortNameBasis& basis, const uint8_t* short_name);

}  // namespace hiillos::fat32
