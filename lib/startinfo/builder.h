// lib/startinfo/builder.h — Builder: collects a new process's arguments, environment entries,
// initial capabilities and pid, and writes the canonical start-information block (layout.h)
// into a caller's buffer. Bounded (no heap): it keeps only pointers to the caller's strings,
// which must stay valid until Encode.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "lib/base/result.h"
#include "lib/startinfo/bytes.h"
#include "lib/startinfo/error.h"
#include "lib/startinfo/layout.h"
#include "lib/startinfo/start_info.h"

namespace hiillos::startinfo {

class Builder {
 public:
  Builder() = default;

  void SetPid(uint64_t pid) { pid_ = pid; }
  // Each Add checks the string rules and the bounds, and fails without changing anything.
  // Errors: kTooManyArgs/kTooManyEnv/kTooManyCaps, kStringTooLong, kNulInString, kBadEnvEntry,
  // kBadCapName, kBadCapHandle, kNoRoom (the block would exceed kMaxBlockSize).
  Result<void, Error> AddArg(Text arg);
  Result<void, Error> AddEnv(Text entry);
  Result<void, Error> AddCap(Text name, uint32_t handle);
  // Everything a decoded block holds, in order (to forward or re-encode it).
  Result<void, Error> AddAll(const StartInfo& info);

  // Bytes Encode writes.
  size_t EncodedSize() const;
  // Writes the block; its size. Errors: kBadPid (no pid set), kNoRoom (capacity too small).
  Result<size_t, Error> Encode(uint8_t* out, size_t capacity) const;

 private:
  Result<void, Error> CheckRoomFor(size_t table_bytes, Text text) const;

  Text args_[kMaxArgs];
  Text env_[kMaxEnv];
  Capability caps_[kMaxCaps];
  size_t arg_count_ = 0;
  size_t env_count_ = 0;
  size_t cap_count_ = 0;
  size_t string_bytes_ = 0;  // with every NUL
  uint64_t pid_ = 0;
};

}  // namespace hiillos::startinfo
