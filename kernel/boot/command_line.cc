// kernel/boot/command_line.cc — whitespace-separated words, each `key` or `key=value`.
#include "kernel/boot/command_line.h"

namespace hiillos::boot {
namespace {
bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}
size_t StrLen(const char* s) {
  size_t n = 0;
  while (s[n]) ++n;
  return n;
}
}  // namespace

CommandLine::CommandLine(const char* text, size_t capacity) : text_(text), length_(0) {
  while (length_ < capacity && text[length_] != '\0') ++length_;
  if (length_ == capacity) length_ = 0;  // not terminated: treat as empty, never read past it
}

bool CommandLine::Find(const char* key, const char** value, long* value_length) const {
  size_t key_length = StrLen(key);
  size_t i = 0;
  while (i < length_) {
    while (i < length_ && IsSpace(text_[i])) ++i;
    size_t start = i;
    while (i < length_ && !IsSpace(text_[i])) ++i;
    size_t word_length = i - start;
    if (word_length < key_length || __builtin_memcmp(text_ + start, key, key_length) != 0) continue;
    if (word_length == key_length) {
      *value = nullptr;
      *value_length = -1;
      return true;
    }
    if (text_[start + key_length] == '=') {
      *value = text_ + start + key_length + 1;
      *value_length = static_cast<long>(word_length - key_length - 1);
      return true;
    }
  }
  return false;
}

bool CommandLine::Has(const char* key) const {
  const char* value;
  long value_length;
  return Find(key, &value, &value_length);
}

bool CommandLine::Get(const char* key, char* out, size_t out_size) const {
  const char* value;
  long value_length;
  if (!Find(key, &value, &value_length) || value_length < 0) return false;
  if (static_cast<size_t>(value_length) + 1 > out_size) return false;
  __builtin_memcpy(out, value, static_cast<size_t>(value_length));
  out[value_length] = '\0';
  return true;
}

bool CommandLine::Equals(const char* key, const char* expected) const {
  const char* value;
  long value_length;
  if (!Find(key, &value, &value_length) || value_length < 0) return false;
  size_t expected_length = StrLen(expected);
  return static_cast<size_t>(value_length) == expected_length &&
         __builtin_memcmp(value, expected, expected_length) == 0;
}

}  // namespace hiillos::boot
