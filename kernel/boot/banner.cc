// kernel/boot/banner.cc — prints memory map summary, framebuffer, modules and command line.
#include "kernel/boot/banner.h"

#include "kernel/boot/boot_info_check.h"
#include "kernel/lib/log.h"
#include "kernel/time/clock.h"

namespace hiillos::boot {

void PrintBanner(const uapi::BootInfo& info) {
  klog::Log("boot", "hiillos kernel, boot protocol v%u", info.version);
  klog::Log("boot", "loader to kernel: %lu us",
            time::TscToNanoseconds(info.tsc_handoff - info.tsc_loader_start) / 1000);
  MemorySummary summary = SummarizeMemory(info);
  klog::Log("mem", "memory map: %u ranges, RAM %lu KiB, highest address %#lx",
            info.memory_range_count, summary.ram_bytes / 1024, summary.highest_address);
  for (uint32_t kind = 1; kind <= 11; ++kind) {
    if (summary.bytes[kind] == 0) continue;
    klog::Log("mem", "  %-18s %10lu KiB", MemoryKindName(static_cast<uapi::MemoryKind>(kind)),
              summary.bytes[kind] / 1024);
  }
  klog::Log("mem", "kernel image: phys %#lx size %lu KiB at virt %#lx", info.kernel_phys_base,
            info.kernel_phys_size / 1024, info.kernel_virt_base);
  const auto& fb = info.framebuffer;
  if (fb.format == uapi::PixelFormat::kNone) {
    klog::Log("fb", "no framebuffer");
  } else {
    klog::Log("fb", "framebuffer: %ux%u pitch %u format %s at %#lx (%lu KiB)", fb.width, fb.height,
              fb.pitch, fb.format == uapi::PixelFormat::kRgbx ? "rgbx" : "bgrx", fb.base,
              fb.size / 1024);
  }
  klog::Log("acpi", "RSDP at %#lx", info.acpi_rsdp);
  klog::Log("boot", "modules: %u", info.module_count);
  for (uint32_t i = 0; i < info.module_count; ++i) {
    const auto& module = info.modules[i];
    klog::Log("boot", "  module %s: %lu bytes at %#lx", module.name, module.size, module.base);
  }
  klog::Log("boot", "command line: \"%s\"", info.command_line);
}

}  // namespace hiillos::boot
