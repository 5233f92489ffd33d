// lib/startinfo/startinfo_fuzzer.cc — StartInfo::Decode over arbitrary bytes: never reads
// outside them (ASan), every accepted string is NUL-terminated inside the block, and an
// accepted block re-encodes to exactly its own bytes.
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "lib/startinfo/builder.h"
#include "lib/startinfo/start_info.h"

namespace {
hiillos::startinfo::Builder builder;  // large: not on the stack
uint8_t encoded[hiillos::startinfo::kMaxBlockSize];
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace hiillos::startinfo;
  auto decoded = StartInfo::Decode(data, size);
  if (!decoded.ok()) return 0;
  const StartInfo& info = decoded.value();
  if (info.size() > size || info.pid() == 0) __builtin_trap();
  for (size_t i = 0; i < info.arg_count(); ++i) {
    if (info.Arg(i).data[info.Arg(i).length] != 0) __builtin_trap();
  }
  builder = Builder();
  if (!builder.AddAll(info).ok()) __builtin_trap();
  auto written = builder.Encode(encoded, sizeof(encoded));
  if (!written.ok() || written.value() != info.size()) __builtin_trap();
  if (memcmp(encoded, data, info.size()) != 0) __builtin_trap();
  return 0;
}
