// lib/startinfo/builder.cc — writes canonical start-information blocks.
#include "lib/startinfo/builder.h"

#include "lib/startinfo/string_rules.h"

namespace hiillos::startinfo {
namespace {

// Writes `text` and its NUL at `*next`, and its (offset, length) at `entry`.
void PutString(uint8_t* out, size_t entry, Text text, size_t* next) {
  StoreLittleEndian(out + entry, 4, *next);
  StoreLittleEndian(out + entry + 4, 4, text.length);
  for (size_t i = 0; i < text.length; ++i) out[*next + i] = static_cast<uint8_t>(text.data[i]);
  out[*next + text.length] = 0;
  *next += text.length + 1;
}

}  // namespace

Result<void, Error> Builder::CheckRoomFor(size_t table_bytes, Text text) const {
  TRY(CheckStringBytes(text));
  const size_t size = EncodedSize() + table_bytes + text.length + 1;
  if (size > kMaxBlockSize) return Err(Error::kNoRoom);
  return Ok<Error>();
}

Result<void, Error> Builder::AddArg(Text arg) {
  if (arg_count_ == kMaxArgs) return Err(Error::kTooManyArgs);
  TRY(CheckRoomFor(sizeof(StartInfoString), arg));
  args_[arg_count_++] = arg;
  string_bytes_ += arg.length + 1;
  return Ok<Error>();
}

Result<void, Error> Builder::AddEnv(Text entry) {
  if (env_count_ == kMaxEnv) return Err(Error::kTooManyEnv);
  TRY(CheckRoomFor(sizeof(StartInfoString), entry));
  TRY(CheckEnvEntry(entry));
  env_[env_count_++] = entry;
  string_bytes_ += entry.length + 1;
  return Ok<Error>();
}

Result<void, Error> Builder::AddCap(Text name, uint32_t handle) {
  if (cap_count_ == kMaxCaps) return Err(Error::kTooManyCaps);
  TRY(CheckRoomFor(sizeof(StartInfoCap), name));
  if (name.length == 0) return Err(Error::kBadCapName);
  for (size_t i = 0; i < cap_count_; ++i) {
    if (TextEquals(caps_[i].name, name)) return Err(Error::kBadCapName);
  }
  if (handle == 0) return Err(Error::kBadCapHandle);
  caps_[cap_count_++] = Capability{name, handle};
  string_bytes_ += name.length + 1;
  return Ok<Error>();
}

Result<void, Error> Builder::AddAll(const StartInfo& info) {
  SetPid(info.pid());
  for (size_t i = 0; i < info.arg_count(); ++i) TRY(AddArg(info.Arg(i)));
  for (size_t i = 0; i < info.env_count(); ++i) TRY(AddEnv(info.Env(i)));
  for (size_t i = 0; i < info.cap_count(); ++i) {
    const Capability cap = info.Cap(i);
    TRY(AddCap(cap.name, cap.handle));
  }
  return Ok<Error>();
}

size_t Builder::EncodedSize() const {
  return StringsOffset(arg_count_, env_count_, cap_count_) + string_bytes_;
}

Result<size_t, Error> Builder::Encode(uint8_t* out, size_t capacity) const {
  if (pid_ == 0) return Err(Error::kBadPid);
  const size_t total_size = EncodedSize();
  if (total_size > capacity) return Err(Error::kNoRoom);
  const size_t strings_offset = StringsOffset(arg_count_, env_count_, cap_count_);

  for (size_t i = 0; i < sizeof(StartInfoHeader); ++i) out[i] = 0;
  StoreLittleEndian(out + offsetof(StartInfoHeader, magic), 4, kMagic);
  StoreLittleEndian(out + offsetof(StartInfoHeader, version), 2, kVersion);
  StoreLittleEndian(out + offsetof(StartInfoHeader, header_size), 2, sizeof(StartInfoHeader));
  StoreLittleEndian(out + offsetof(StartInfoHeader, total_size), 4, total_size);
  StoreLittleEndian(out + offsetof(StartInfoHeader, arg_count), 4, arg_count_);
  StoreLittleEndian(out + offsetof(StartInfoHeader, env_count), 4, env_count_);
  StoreLittleEndian(out + offsetof(StartInfoHeader, cap_count), 4, cap_count_);
  StoreLittleEndian(out + offsetof(StartInfoHeader, strings_offset), 4, strings_offset);
  StoreLittleEndian(out + offsetof(StartInfoHeader, strings_size), 4, string_bytes_);
  StoreLittleEndian(out + offsetof(StartInfoHeader, pid), 8, pid_);

  size_t next = strings_offset;
  size_t entry = StringTableOffset();
  for (size_t i = 0; i < arg_count_; ++i, entry += sizeof(StartInfoString)) {
    PutString(out, entry, args_[i], &next);
  }
  for (size_t i = 0; i < env_count_; ++i, entry += sizeof(StartInfoString)) {
    PutString(out, entry, env_[i], &next);
  }
  for (size_t i = 0; i < cap_count_; ++i, entry += sizeof(StartInfoCap)) {
    PutString(out, entry, caps_[i].name, &next);
    StoreLittleEndian(out + entry + offsetof(StartInfoCap, handle), 4, caps_[i].handle);
    StoreLittleEndian(out + entry + offsetof(StartInfoCap, reserved), 4, 0);
  }
  return total_size;
}

}  // namespace hiillos::startinfo
