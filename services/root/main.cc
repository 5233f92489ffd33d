// services/root/main.cc — the root server (first user process). It unpacks the initfs boot
// module (initfs.tar.zst: zstd, then ustar), starts /sbin/init from it with its capabilities
// and start information, and waits for init. Before IPC exists, init gets the unpacked archive
// as a read-only frame instead of an initfs:// endpoint (docs/protocols/initfs.md). A corrupt
// archive ends root with one error line and exit code 1; the system then stops.
#include "lib/format/format.h"
#include "services/lib/loader.h"
#include "services/lib/page_allocator.h"
#include "services/lib/print.h"
#include "services/lib/process_layout.h"
#include "services/lib/start.h"
#include "services/lib/syscalls.h"
#include "services/lib/tsc.h"
#include "services/root/start_vm.h"
#include "services/root/unpack.h"
#include "uapi/boot_info.h"
#include "uapi/initial_caps.h"

namespace {

using namespace hiillos;

constexpr char kInitfsModule[] = "initfs.tar.zst";
constexpr char kRootModule[] = "root.elf";
constexpr char kInitPath[] = "sbin/init";
constexpr char kInitUrl[] = "initfs:///sbin/init";
constexpr uint64_t kVmPid = 1000;  // a label until proc hands out pids
// Where root maps the compressed module while it decodes it.
constexpr uint64_t kModuleAddress = 0x0000'3100'0000'0000ull;

bool NameIs(const uapi::Module& module, const char* name) {
  for (size_t i = 0; i < uapi::kModuleNameSize; ++i) {
    if (module.name[i] != name[i]) return false;
    if (name[i] == '\0') return true;
  }
  return false;
}

// The frame handle of boot module `wanted` (uapi/initial_caps.h: one per module but root.elf,
// in BootInfo order, from kRootFirstModuleHandle), or 0 with *module unset.
uint32_t FindModule(const uapi::BootInfo& info, const char* wanted, const uapi::Module** module) {
  uint32_t handle = uapi::kRootFirstModuleHandle;
  for (uint32_t i = 0; i < info.module_count && i < uapi::kMaxModules; ++i) {
    if (NameIs(info.modules[i], kRootModule)) continue;
    if (NameIs(info.modules[i], wanted)) {
      *module = &info.modules[i];
      return handle;
    }
    ++handle;
  }
  return 0;
}

void ReportCapabilities(uint32_t last_handle) {
  rt::Printf("root: started with %u initial capabilities", last_handle);
  for (uint32_t handle = 1; handle <= last_handle; ++handle) {
    auto cap = rt::CapIdentify(handle);
    if (cap.ok()) {
      rt::Printf("root:   cap %u: %s, rights %#x", handle, uapi::ObjectTypeName(cap.value().type),
                 cap.value().rights.bits);
    }
  }
}

// Starts init with the archive frame and root's Memory; 0 on failure (reported).
int StartAndWaitForInit(const uapi::BootInfo& info, const root::Unpacked& initfs,
                        uint64_t tsc_root) {
  auto init = initfs.archive.Lookup(kInitPath);
  if (!init.ok()) {
    rt::Printf("root: %s: no /%s in the archive", kInitfsModule, kInitPath);
    return 1;
  }
  // Boot-stage timestamps for init's summary (docs/boot-stages.md).
  char loader[40];
  char kernel[40];
  char root_stage[40];
  format::FormatToBuffer(loader, sizeof(loader), "boot.tsc.loader=%lu", info.tsc_loader_start);
  format::FormatToBuffer(kernel, sizeof(kernel), "boot.tsc.kernel=%lu", info.tsc_handoff);
  format::FormatToBuffer(root_stage, sizeof(root_stage), "boot.tsc.root=%lu", tsc_root);
  const char* const env[] = {loader, kernel, root_stage};
  const char* const args[] = {kInitUrl};
  const rt::SpawnCap caps[] = {
      {"memory", uapi::kRootMemoryHandle, uapi::Rights::kAll},
      {"log", uapi::kRootLogHandle,
       uapi::Rights::kWrite | uapi::Rights::kClone | uapi::Rights::kTransfer},
      // Clone + Transfer so init can hand it (read-only) to the programs that list it.
      {"initfs", initfs.frame,
       uapi::Rights::kRead | uapi::Rights::kMap | uapi::Rights::kClone | uapi::Rights::kTransfer},
  };
  rt::SpawnRequest request;
  request.memory = uapi::kRootMemoryHandle;
  request.own_vmem = uapi::kRootVmemHandle;
  request.image = init.value().data;
  request.image_size = init.value().size;
  request.args = args;
  request.arg_count = 1;
  request.env = env;
  request.env_count = 3;
  request.caps = caps;
  request.cap_count = sizeof(caps) / sizeof(caps[0]);
  request.pid = 1;
  auto spawned = rt::Spawn(request);
  if (!spawned.ok()) {
    char reason[128];
    rt::DescribeSpawnError(spawned.error(), reason, sizeof(reason));
    rt::Printf("root: cannot start %s: %s", kInitUrl, reason);
    return 1;
  }
  rt::Printf("root: stage root done: started %s as pid 1", kInitUrl);
  auto exit = rt::ThreadWait(spawned.value().thread);
  rt::Release(spawned.value());
  if (!exit.ok()) {
    rt::Printf("root: waiting for init failed: %s", uapi::StatusName(exit.error()));
    return 1;
  }
  if (exit.value().reason != uapi::ExitReason::kExited) {
    rt::Printf("root: init died (reason %lu, code %lu)", static_cast<uint64_t>(exit.value().reason),
               exit.value().code);
    return 1;
  }
  rt::Printf("root: init exited with code %lu", exit.value().code);
  return static_cast<int>(exit.value().code);
}

int Run(const uapi::BootInfo& info, uint32_t last_handle) {
  const uint64_t tsc_root = rt::ReadTsc();
  rt::SetLogHandle(uapi::kRootLogHandle);
  ReportCapabilities(last_handle);
  rt::InitPages(uapi::kRootMemoryHandle, uapi::kRootVmemHandle);
  const uapi::Module* module = nullptr;
  const uint32_t module_frame = FindModule(info, kInitfsModule, &module);
  if (module_frame == 0) {
    rt::Printf("root: no %s boot module: nothing to start", kInitfsModule);
    return 1;
  }
  auto initfs = root::UnpackInitfs(uapi::kRootMemoryHandle, uapi::kRootVmemHandle, module_frame,
                                   module->size, kModuleAddress, rt::kSharedDataAddress);
  if (!initfs.ok()) {
    rt::Printf("root: %s is corrupt: %s", kInitfsModule, initfs.error().message);
    return 1;
  }
  rt::Printf("root: %s unpacked: %lu bytes, %lu entries", kInitfsModule, initfs.value().size,
             initfs.value().archive.entry_count());
  // The vm server; its registration Sender goes to proc when proc registers processes.
  const uint32_t vm_registrar = root::StartVm(initfs.value().archive, kVmPid);
  (void)vm_registrar;
  return StartAndWaitForInit(info, initfs.value(), tsc_root);
}

}  // namespace

int UserMain(uint64_t boot_info_address, uint64_t last_handle) {
  const auto* info = reinterpret_cast<const uapi::BootInfo*>(boot_info_address);
  return Run(*info, static_cast<uint32_t>(last_handle));
}
