// services/root/main.cc — the root server (first user process). For now it reports what the
// kernel gave it (capabilities, memory, boot modules, framebuffer) and exits with code 0.
#include "services/lib/page_allocator.h"
#include "services/lib/print.h"
#include "services/lib/start.h"
#include "services/lib/syscalls.h"
#include "uapi/boot_info.h"
#include "uapi/initial_caps.h"

namespace {

using namespace hiillos;

int Run(const uapi::BootInfo& info, uint32_t last_handle) {
  rt::SetLogHandle(uapi::kRootLogHandle);
  rt::Printf("root: hello from user space (%u initial capabilities)", last_handle);
  for (uint32_t handle = 1; handle <= last_handle; ++handle) {
    auto cap = rt::CapIdentify(handle);
    if (!cap.ok()) {
      rt::Printf("root:   cap %u: %s", handle, uapi::StatusName(cap.error()));
      continue;
    }
    rt::Printf("root:   cap %u: %s, rights %#x", handle, uapi::ObjectTypeName(cap.value().type),
               cap.value().rights.bits);
  }
  auto memory = rt::MemoryInfo(uapi::kRootMemoryHandle);
  if (memory.ok()) {
    rt::Printf("root: memory %lu KiB available, %lu KiB in use", memory.value().budget_bytes >> 10,
               memory.value().used_bytes >> 10);
  }
  uint32_t modules = 0;
  for (uint32_t i = 0; i < info.module_count && i < uapi::kMaxModules; ++i) {
    rt::Printf("root: boot module %s: %lu bytes", info.modules[i].name, info.modules[i].size);
  }
  modules = info.module_count > 0 ? info.module_count - 1 : 0;  // all but root.elf
  if (info.framebuffer.format != uapi::PixelFormat::kNone) {
    auto fb = rt::FrameInfo(uapi::RootFramebufferHandle(modules));
    if (fb.ok()) {
      rt::Printf("root: framebuffer %ux%u at %#lx (%lu KiB)", info.framebuffer.width,
                 info.framebuffer.height, fb.value().device_phys, fb.value().size_bytes >> 10);
    }
  }
  // The page allocator works: one page, written and freed.
  rt::InitPages(uapi::kRootMemoryHandle, uapi::kRootVmemHandle);
  auto page = rt::Pages().Allocate(0);
  if (!page.ok()) {
    rt::Printf("root: page allocation failed: %s", uapi::StatusName(page.error()));
    return 1;
  }
  static_cast<volatile uint64_t*>(page.value())[0] = 42;
  (void)rt::Pages().Free(page.value());
  auto system = rt::SystemInfo();
  if (system.ok()) {
    rt::Printf("root: %lu CPUs online, %lu KiB free, %lu capabilities, up %lu ms",
               system.value().cpus_online, system.value().free_pages * 4,
               system.value().capability_slots_used, system.value().uptime_ns / 1000000);
  }
  rt::Printf("root: done");
  return 0;
}

}  // namespace

int UserMain(uint64_t boot_info_address, uint64_t last_handle) {
  const auto* info = reinterpret_cast<const uapi::BootInfo*>(boot_info_address);
  return Run(*info, static_cast<uint32_t>(last_handle));
}
