// kernel/boot/command_line.h — reads `key=value` / `flag` words from the kernel command line.
#pragma once

#include <stddef.h>

namespace hiillos::boot {

class CommandLine {
 public:
  // `text` must be NUL-terminated within `capacity` bytes; anything after is ignored.
  CommandLine(const char* text, size_t capacity);

  // True if `key` appears as a bare word or as `key=...`.
  bool Has(const char* key) const;
  // Copies the value of `key=value` into `out` (NUL-terminated). False if absent or too long.
  bool Get(const char* key, char* out, size_t out_size) const;
  // True if `key=value` is present with exactly this value.
  bool Equals(const char* key, const char* value) const;
  const char* text() const { return text_; }
  size_t length() const { return length_; }

 private:
  // Finds the word for `key`; sets *value/*value_length (value_length = -1 for bare words).
  bool Find(const char* key, const char** value, long* value_length) const;
  const char* text_;
  size_t length_;
};

}  // namespace hiillos::boot
