// kernel/boot/boot_info_check.h — validates the loader's BootInfo before the kernel relies on it.
#pragma once

#include <stdint.h>

#include "lib/base/result.h"
#include "uapi/boot_info.h"

namespace hiillos::boot {

enum class BootInfoError : uint8_t {
  kBadMagic,
  kBadVersion,
  kBadSize,
  kTooManyRanges,
  kTooManyModules,
  kRangeMisaligned,
  kRangeEmpty,
  kRangeOverflow,
  kRangesUnsortedOrOverlapping,
  kUnknownKind,
  kModuleNotInModuleRange,
  kModuleNameUnterminated,
  kKernelNotInKernelRange,
  kCommandLineUnterminated,
};
const char* BootInfoErrorString(BootInfoError error);

// Checks every structural promise of boot protocol v1 (docs/boot-protocol.md).
Result<void, BootInfoError> CheckBootInfo(const uapi::BootInfo& info);

// Bytes per memory kind, for the banner and accounting tests.
struct MemorySummary {
  uint64_t bytes[12];  // indexed by MemoryKind value (1..11); [0] unused
  uint64_t ram_bytes;  // everything except reserved, MMIO, framebuffer and unusable
  uint64_t highest_address;
};
MemorySummary SummarizeMemory(const uapi::BootInfo& info);
const char* MemoryKindName(uapi::MemoryKind kind);

}  // namespace hiillos::boot
