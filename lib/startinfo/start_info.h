// lib/startinfo/start_info.h — StartInfo: a validated, read-only view of a start-information
// block (layout.h). Decode treats the bytes as untrusted: every count, offset and length is
// checked, and only the canonical layout the Builder writes is accepted, so an accepted block
// re-encodes to the same bytes. The view points into the block: the block must outlive it.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "lib/base/result.h"
#include "lib/startinfo/bytes.h"
#include "lib/startinfo/error.h"
#include "lib/startinfo/layout.h"

namespace hiillos::startinfo {

struct Capability {
  Text name;
  uint32_t handle;
};

class StartInfo {
 public:
  // `size`: the bytes readable at `data` (at least the block's total_size).
  static Result<StartInfo, Error> Decode(const uint8_t* data, size_t size);

  uint64_t pid() const { return pid_; }
  size_t size() const { return total_size_; }
  size_t arg_count() const { return arg_count_; }
  size_t env_count() const { return env_count_; }
  size_t cap_count() const { return cap_count_; }

  // Preconditions: index below the count. Each Text is NUL-terminated inside the block, so
  // `data` can be used as a C string (argv[i]).
  Text Arg(size_t index) const;
  Text Env(size_t index) const;
  Capability Cap(size_t index) const;

  // The handle of the capability named `name`, or 0 when there is none.
  uint32_t FindCap(Text name) const;
  // The value of the environment entry "key=value" with this key; false when there is none.
  bool FindEnv(Text key, Text* value) const;

 private:
  StartInfo() = default;
  Text StringAt(size_t table_offset) const;

  const uint8_t* data_ = nullptr;
  size_t total_size_ = 0;
  size_t arg_count_ = 0;
  size_t env_count_ = 0;
  size_t cap_count_ = 0;
  uint64_t pid_ = 0;
};

}  // namespace hiillos::startinfo
