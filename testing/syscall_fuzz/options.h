// testing/syscall_fuzz/options.h — the run's parameters from the kernel command line (BootInfo,
// mapped read-only in the root process): fuzz.seed=N fuzz.calls=N fuzz.threads=N (decimal or
// 0x-prefixed hex). Defaults are those of the `bazel test` target.
#pragma once

#include <stdint.h>

#include "uapi/boot_info.h"

namespace hiillos::syscall_fuzz {

struct Options {
  uint64_t seed = 1;
  uint64_t calls = 100'000;  // in total, split evenly over the workers
  uint64_t threads = 8;
};

inline constexpr uint64_t kMaxThreads = 32;

// Unknown keys are ignored (the kernel's own options share the line); a malformed number keeps
// the default and sets *bad.
Options ParseOptions(const uapi::BootInfo& info, bool* bad);

}  // namespace hiillos::syscall_fuzz
