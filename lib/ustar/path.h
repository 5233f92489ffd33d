// lib/ustar/path.h — the rules for entry paths inside a hiillos ustar archive.
//
// A path is relative ("sbin/init", never "/sbin/init"), made of non-empty components separated
// by single '/', with no "." or ".." component and no NUL byte. Directories are stored with a
// trailing '/' in the header (as GNU tar does) but their path here never has one.
#pragma once

#include <stddef.h>

namespace hiillos::ustar {

// True when path[0, length) follows the rules above.
bool IsValidPath(const char* path, size_t length);

// Byte-wise equality of two length-delimited strings.
bool SameBytes(const char* a, size_t a_length, const char* b, size_t b_length);

// Length of a NUL-terminated string read from at most `max` bytes; returns `max` when no NUL
// occurs in that range (callers treat that as "not terminated").
size_t BoundedLength(const char* text, size_t max);

}  // namespace hiillos::ustar
