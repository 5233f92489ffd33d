// lib/zstd/user_build_check.cc — links the decoder as a freestanding user-platform program
// (no heap: a static Workspace), the way the root server will use it. Built, never run.
#include <stddef.h>
#include <stdint.h>

#include "lib/zstd/decompress.h"

namespace {

// `printf 'hello hello hello hello hiillos\n' | zstd -19 --check`
constexpr uint8_t kFrame[] = {0x28, 0xb5, 0x2f, 0xfd, 0x24, 0x20, 0x9d, 0x00, 0x00, 0x68, 0x68,
                              0x65, 0x6c, 0x6c, 0x6f, 0x20, 0x69, 0x69, 0x6c, 0x6c, 0x6f, 0x73,
                              0x0a, 0x01, 0x00, 0x49, 0x4a, 0x11, 0x30, 0xde, 0xab, 0x90};

hiillos::zstd::Workspace workspace;
uint8_t output[64];

}  // namespace

extern "C" [[noreturn]] void _start() {
  auto result =
      hiillos::zstd::Decompress(kFrame, sizeof(kFrame), output, sizeof(output), workspace);
  volatile size_t sink = result.ok() ? result.value() : 0;
  (void)sink;
  for (;;) asm volatile("pause");
}
