// testing/bench/child_image.h — the benchmark's child program (testing/bench/child), read from
// the image's initfs boot module (unpacked once, as root unpacks it: services/root/unpack.h),
// and a Spawn of it with a mode and start capabilities.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "services/lib/loader.h"

namespace hiillos::bench {

// The initfs path of the child program (testing/bench/BUILD.bazel packs it there).
inline constexpr char kChildPath[] = "bench/child";

// Remembers the BootInfo the kernel gave the root process (bench_main.cc).
void SetBootInfo(uint64_t boot_info_address);

struct ChildImage {
  const uint8_t* data;
  size_t size;
};

// The child's ELF bytes; unpacks the initfs on the first call. False (and a log line saying
// why) when there is no initfs module or no child in it.
bool FindChildImage(ChildImage* out);

// Spawns the child with argv = {kChildPath, mode} and `caps`, paid by the benchmark's Memory.
Result<rt::Spawned, rt::SpawnError> SpawnChild(const ChildImage& image, const char* mode,
                                               const rt::SpawnCap* caps, size_t cap_count);

}  // namespace hiillos::bench
