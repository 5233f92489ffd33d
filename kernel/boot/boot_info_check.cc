// kernel/boot/boot_info_check.cc — structural checks and summaries of the BootInfo record.
#include "kernel/boot/boot_info_check.h"

#include "lib/base/checked.h"

namespace hiillos::boot {
namespace {

using uapi::MemoryKind;

bool Terminated(const char* text, size_t capacity) {
  for (size_t i = 0; i < capacity; ++i) {
    if (text[i] == '\0') return true;
  }
  return false;
}

// True when [base, base+size) lies inside one range of the given kind.
bool InsideKind(const uapi::BootInfo& info, uint64_t base, uint64_t size, MemoryKind kind) {
  for (uint32_t i = 0; i < info.memory_range_count; ++i) {
    const auto& range = info.memory_map[i];
    if (range.kind == kind && base >= range.base && base - range.base <= range.size &&
        size <= range.size - (base - range.base)) {
      return true;
    }
  }
  return false;
}

bool IsRam(MemoryKind kind) {
  return kind != MemoryKind::kReserved && kind != MemoryKind::kMmio &&
         kind != MemoryKind::kFramebuffer && kind != MemoryKind::kUnusable;
}

}  // namespace

const char* BootInfoErrorString(BootInfoError error) {
  switch (error) {
    case BootInfoError::kBadMagic:
      return "bad magic";
    case BootInfoError::kBadVersion:
      return "unsupported version";
    case BootInfoError::kBadSize:
      return "size does not match this kernel's BootInfo";
    case BootInfoError::kTooManyRanges:
      return "too many memory ranges";
    case BootInfoError::kTooManyModules:
      return "too many modules";
    case BootInfoError::kRangeMisaligned:
      return "memory range not page aligned";
    case BootInfoError::kRangeEmpty:
      return "empty memory range";
    case BootInfoError::kRangeOverflow:
      return "memory range wraps around";
    case BootInfoError::kRangesUnsortedOrOverlapping:
      return "memory map unsorted or overlapping";
    case BootInfoError::kUnknownKind:
      return "unknown memory kind";
    case BootInfoError::kModuleNotInModuleRange:
      return "module outside module memory";
    case BootInfoError::kModuleNameUnterminated:
      return "module name not terminated";
    case BootInfoError::kKernelNotInKernelRange:
      return "kernel image outside kernel memory";
    case BootInfoError::kCommandLineUnterminated:
      return "command line not terminated";
  }
  return "unknown error";
}

const char* MemoryKindName(MemoryKind kind) {
  switch (kind) {
    case MemoryKind::kUsable:
      return "usable";
    case MemoryKind::kReserved:
      return "reserved";
    case MemoryKind::kAcpiReclaimable:
      return "acpi-reclaimable";
    case MemoryKind::kAcpiNvs:
      return "acpi-nvs";
    case MemoryKind::kLoaderReclaimable:
      return "loader-reclaimable";
    case MemoryKind::kBootData:
      return "boot-data";
    case MemoryKind::kKernel:
      return "kernel";
    case MemoryKind::kModule:
      return "modules";
    case MemoryKind::kFramebuffer:
      return "framebuffer";
    case MemoryKind::kMmio:
      return "mmio";
    case MemoryKind::kUnusable:
      return "unusable";
  }
  return "?";
}

Result<void, BootInfoError> CheckBootInfo(const uapi::BootInfo& info) {
  if (info.magic != uapi::kBootInfoMagic) return Err(BootInfoError::kBadMagic);
  if (info.version != uapi::kBootInfoVersion) return Err(BootInfoError::kBadVersion);
  if (info.size != sizeof(uapi::BootInfo)) return Err(BootInfoError::kBadSize);
  if (info.memory_range_count > uapi::kMaxMemoryRanges) return Err(BootInfoError::kTooManyRanges);
  if (info.module_count > uapi::kMaxModules) return Err(BootInfoError::kTooManyModules);
  uint64_t previous_end = 0;
  for (uint32_t i = 0; i < info.memory_range_count; ++i) {
    const auto& range = info.memory_map[i];
    auto kind = static_cast<uint32_t>(range.kind);
    if (kind < 1 || kind > 11) return Err(BootInfoError::kUnknownKind);
    if (!IsAligned(range.base, 4096) || !IsAligned(range.size, 4096)) {
      return Err(BootInfoError::kRangeMisaligned);
    }
    if (range.size == 0) return Err(BootInfoError::kRangeEmpty);
    uint64_t end = 0;
    if (!CheckedAdd(range.base, range.size, &end)) return Err(BootInfoError::kRangeOverflow);
    if (i > 0 && range.base < previous_end) {
      return Err(BootInfoError::kRangesUnsortedOrOverlapping);
    }
    previous_end = end;
  }
  for (uint32_t i = 0; i < info.module_count; ++i) {
    const auto& module = info.modules[i];
    if (!Terminated(module.name, uapi::kModuleNameSize)) {
      return Err(BootInfoError::kModuleNameUnterminated);
    }
    uint64_t rounded = 0;
    if (!AlignUp(module.size, 4096, &rounded) ||
        !InsideKind(info, module.base, rounded, MemoryKind::kModule)) {
      return Err(BootInfoError::kModuleNotInModuleRange);
    }
  }
  if (!InsideKind(info, info.kernel_phys_base, info.kernel_phys_size, MemoryKind::kKernel)) {
    return Err(BootInfoError::kKernelNotInKernelRange);
  }
  if (!Terminated(info.command_line, uapi::kCommandLineSize)) {
    return Err(BootInfoError::kCommandLineUnterminated);
  }
  return {};
}

MemorySummary SummarizeMemory(const uapi::BootInfo& info) {
  MemorySummary summary{};
  uint32_t count = info.memory_range_count <= uapi::kMaxMemoryRanges
                       ? info.memory_range_count
                       : static_cast<uint32_t>(uapi::kMaxMemoryRanges);
  for (uint32_t i = 0; i < count; ++i) {
    const auto& range = info.memory_map[i];
    auto kind = static_cast<uint32_t>(range.kind);
    if (kind >= 1 && kind <= 11) summary.bytes[kind] += range.size;
    if (IsRam(range.kind)) summary.ram_bytes += range.size;
    uint64_t end = range.base + range.size;
    if (end > summary.highest_address) summary.highest_address = end;
  }
  return summary;
}

}  // namespace hiillos::boot
