// services/vfsd/fstab.cc — fstab lines and root= from the command line.
#include "services/vfsd/fstab.h"

#include "services/vfsd/text.h"

namespace hiillos::vfsd {

namespace {

bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\r';
}

struct Field {
  const char* data;
  size_t length;
};

// Splits line[0, length) into up to `capacity` fields; returns how many there were (may exceed
// capacity).
size_t Split(const char* line, size_t length, Field* fields, size_t capacity) {
  size_t count = 0;
  size_t i = 0;
  while (i < length) {
    while (i < length && IsSpace(line[i])) ++i;
    if (i == length) break;
    const size_t start = i;
    while (i < length && !IsSpace(line[i])) ++i;
    if (count < capacity) fields[count] = Field{line + start, i - start};
    ++count;
  }
  return count;
}

bool CopyField(const Field& field, char* out, size_t limit) {
  if (field.length > limit) return false;
  __builtin_memcpy(out, field.data, field.length);
  out[field.length] = '\0';
  return true;
}

bool Equals(const Field& field, const char* text) {
  return field.length == fs::Length(text) && __builtin_memcmp(field.data, text, field.length) == 0;
}

}  // namespace

const char* FstabErrorName(FstabError error) {
  switch (error) {
    case FstabError::kLineTooLong:
      return "line too long";
    case FstabError::kMissingField:
      return "expected DEVICE MOUNTPOINT TYPE [OPTIONS]";
    case FstabError::kTooManyFields:
      return "more than four fields";
    case FstabError::kFieldTooLong:
      return "a field is too long";
    case FstabError::kTooManyEntries:
      return "too many entries";
  }
  return "unknown error";
}

Result<Fstab, FstabProblem> Fstab::Parse(const char* text, size_t length) {
  Fstab fstab;
  size_t line_number = 0;
  size_t at = 0;
  while (at < length) {
    ++line_number;
    size_t end = at;
    while (end < length && text[end] != '\n') ++end;
    size_t content = end - at;
    for (size_t i = 0; i < end - at; ++i) {
      if (text[at + i] == '#') {
        content = i;
        break;
      }
    }
    if (end - at > kMaxFstabLine) return Err(FstabProblem{FstabError::kLineTooLong, line_number});
    Field fields[4];
    const size_t count = Split(text + at, content, fields, 4);
    at = end + 1;
    if (count == 0) continue;
    if (count < 3) return Err(FstabProblem{FstabError::kMissingField, line_number});
    if (count > 4) return Err(FstabProblem{FstabError::kTooManyFields, line_number});
    if (fstab.count_ == kMaxFstabEntries) {
      return Err(FstabProblem{FstabError::kTooManyEntries, line_number});
    }
    FstabEntry& entry = fstab.entries_[fstab.count_];
    if (!CopyField(fields[0], entry.device, kMaxDeviceName) ||
        !CopyField(fields[1], entry.point, kMaxMountPoint) ||
        !CopyField(fields[2], entry.type, kMaxTypeName)) {
      return Err(FstabProblem{FstabError::kFieldTooLong, line_number});
    }
    entry.line = line_number;
    ++fstab.count_;
  }
  return fstab;
}

bool Fstab::ApplyCommandLine(const char* command_line, size_t length) {
  Field words[32];
  const size_t count = Split(command_line, length, words, 32);
  Field root{nullptr, 0};
  Field type{"fat32", 5};
  for (size_t i = 0; i < count && i < 32; ++i) {
    if (words[i].length > 5 && __builtin_memcmp(words[i].data, "root=", 5) == 0) {
      root = Field{words[i].data + 5, words[i].length - 5};
    } else if (words[i].length > 11 && __builtin_memcmp(words[i].data, "rootfstype=", 11) == 0) {
      type = Field{words[i].data + 11, words[i].length - 11};
    }
  }
  if (root.data == nullptr) return false;
  FstabEntry entry;
  if (!CopyField(root, entry.device, kMaxDeviceName) ||
      !CopyField(type, entry.type, kMaxTypeName)) {
    return false;
  }
  __builtin_memcpy(entry.point, "/", 2);
  entry.line = 0;
  // Drop fstab's "/" lines; root= comes first.
  size_t kept = 0;
  for (size_t i = 0; i < count_; ++i) {
    if (Equals(Field{entries_[i].point, fs::Length(entries_[i].point)}, "/")) continue;
    entries_[kept++] = entries_[i];
  }
  count_ = kept;
  if (count_ == kMaxFstabEntries) --count_;  // root matters more than the last line
  for (size_t i = count_; i > 0; --i) entries_[i] = entries_[i - 1];
  entries_[0] = entry;
  ++count_;
  return true;
}

}  // namespace hiillos::vfsd
