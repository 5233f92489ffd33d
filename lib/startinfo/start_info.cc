// lib/startinfo/start_info.cc — the validating decoder of start-information blocks.
#include "lib/startinfo/start_info.h"

#include "lib/startinfo/string_rules.h"

namespace hiillos::startinfo {
namespace {

uint32_t Load32(const uint8_t* data, size_t offset) {
  return static_cast<uint32_t>(LoadLittleEndian(data + offset, 4));
}

// Checks the string `entry_offset` describes (a StartInfoString or the name half of a
// StartInfoCap) starts at `*next`, fits the area and is NUL-terminated; advances `*next`.
Result<Text, Error> CheckString(const uint8_t* data, size_t total_size, size_t entry_offset,
                                size_t* next) {
  const size_t offset = Load32(data, entry_offset);
  const size_t length = Load32(data, entry_offset + 4);
  if (offset != *next) return Err(Error::kBadStringOffset);
  if (length > kMaxStringLength) return Err(Error::kStringTooLong);
  if (offset + length + 1 > total_size) return Err(Error::kStringOutOfBounds);
  if (data[offset + length] != 0) return Err(Error::kStringNotTerminated);
  const Text text{reinterpret_cast<const char*>(data + offset), length};
  TRY(CheckStringBytes(text));
  *next = offset + length + 1;
  return text;
}

}  // namespace

Result<StartInfo, Error> StartInfo::Decode(const uint8_t* data, size_t size) {
  if (size < sizeof(StartInfoHeader)) return Err(Error::kTooSmall);
  if (Load32(data, offsetof(StartInfoHeader, magic)) != kMagic) return Err(Error::kBadMagic);
  if (LoadLittleEndian(data + offsetof(StartInfoHeader, version), 2) != kVersion) {
    return Err(Error::kBadVersion);
  }
  if (LoadLittleEndian(data + offsetof(StartInfoHeader, header_size), 2) !=
      sizeof(StartInfoHeader)) {
    return Err(Error::kBadHeaderSize);
  }
  const size_t arg_count = Load32(data, offsetof(StartInfoHeader, arg_count));
  const size_t env_count = Load32(data, offsetof(StartInfoHeader, env_count));
  const size_t cap_count = Load32(data, offsetof(StartInfoHeader, cap_count));
  if (arg_count > kMaxArgs) return Err(Error::kTooManyArgs);
  if (env_count > kMaxEnv) return Err(Error::kTooManyEnv);
  if (cap_count > kMaxCaps) return Err(Error::kTooManyCaps);
  if (LoadLittleEndian(data + offsetof(StartInfoHeader, reserved), 8) != 0) {
    return Err(Error::kReservedNotZero);
  }
  const uint64_t pid = LoadLittleEndian(data + offsetof(StartInfoHeader, pid), 8);
  if (pid == 0) return Err(Error::kBadPid);
  const size_t strings_offset = Load32(data, offsetof(StartInfoHeader, strings_offset));
  if (strings_offset != StringsOffset(arg_count, env_count, cap_count)) {
    return Err(Error::kBadStringsOffset);
  }
  // Both are 32-bit: the sum cannot overflow 64 bits.
  const uint64_t total_size = Load32(data, offsetof(StartInfoHeader, total_size));
  const uint64_t strings_size = Load32(data, offsetof(StartInfoHeader, strings_size));
  if (total_size > kMaxBlockSize || total_size != strings_offset + strings_size) {
    return Err(Error::kBadTotalSize);
  }
  if (total_size > size) return Err(Error::kTooSmall);

  size_t next = strings_offset;
  for (size_t i = 0; i < arg_count; ++i) {
    TRY(CheckString(data, total_size, StringTableOffset() + i * sizeof(StartInfoString), &next));
  }
  for (size_t i = 0; i < env_count; ++i) {
    const size_t entry = StringTableOffset() + (arg_count + i) * sizeof(StartInfoString);
    TRY(CheckEnvEntry(TRY(CheckString(data, total_size, entry, &next))));
  }
  const size_t caps = CapTableOffset(arg_count, env_count);
  for (size_t i = 0; i < cap_count; ++i) {
    const size_t entry = caps + i * sizeof(StartInfoCap);
    const Text name = TRY(CheckString(data, total_size, entry, &next));
    if (Load32(data, entry + offsetof(StartInfoCap, reserved)) != 0) {
      return Err(Error::kReservedNotZero);
    }
    if (Load32(data, entry + offsetof(StartInfoCap, handle)) == 0) {
      return Err(Error::kBadCapHandle);
    }
    if (name.length == 0) return Err(Error::kBadCapName);
    for (size_t j = 0; j < i; ++j) {
      const size_t other = caps + j * sizeof(StartInfoCap);
      const Text other_name{reinterpret_cast<const char*>(data + Load32(data, other)),
                            Load32(data, other + 4)};
      if (TextEquals(name, other_name)) return Err(Error::kBadCapName);
    }
  }
  if (next != total_size) return Err(Error::kTrailingBytes);

  StartInfo info;
  info.data_ = data;
  info.total_size_ = total_size;
  info.arg_count_ = arg_count;
  info.env_count_ = env_count;
  info.cap_count_ = cap_count;
  info.pid_ = pid;
  return info;
}

Text StartInfo::StringAt(size_t table_offset) const {
  return Text{reinterpret_cast<const char*>(data_ + Load32(data_, table_offset)),
              Load32(data_, table_offset + 4)};
}

Text StartInfo::Arg(size_t index) const {
  return StringAt(StringTableOffset() + index * sizeof(StartInfoString));
}

Text StartInfo::Env(size_t index) const {
  return StringAt(StringTableOffset() + (arg_count_ + index) * sizeof(StartInfoString));
}

Capability StartInfo::Cap(size_t index) const {
  const size_t entry = CapTableOffset(arg_count_, env_count_) + index * sizeof(StartInfoCap);
  return Capability{StringAt(entry), Load32(data_, entry + offsetof(StartInfoCap, handle))};
}

uint32_t StartInfo::FindCap(Text name) const {
  for (size_t i = 0; i < cap_count_; ++i) {
    const Capability cap = Cap(i);
    if (TextEquals(cap.name, name)) return cap.handle;
  }
  return 0;
}

bool StartInfo::FindEnv(Text key, Text* value) const {
  for (size_t i = 0; i < env_count_; ++i) {
    const Text entry = Env(i);
    if (entry.length > key.length && entry.data[key.length] == '=' &&
        TextEquals(Text{entry.data, key.length}, key)) {
      *value = Text{entry.data + key.length + 1, entry.length - key.length - 1};
      return true;
    }
  }
  return false;
}

}  // namespace hiillos::startinfo
