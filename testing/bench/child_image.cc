// testing/bench/child_image.cc — finding and spawning the benchmark's child program
// (child_image.h).
#include "testing/bench/child_image.h"

#include "services/lib/print.h"
#include "services/lib/process_layout.h"
#include "services/root/unpack.h"
#include "testing/bench/bench_cases.h"
#include "uapi/boot_info.h"
#include "uapi/initial_caps.h"

namespace hiillos::bench {
namespace {

constexpr char kInitfsModule[] = "initfs.tar.zst";
constexpr char kRootModule[] = "root.elf";
// Where the compressed module is mapped while it is decoded (the same place root uses).
constexpr uint64_t kModuleAddress = 0x0000'3100'0000'0000ull;

const uapi::BootInfo* g_boot_info = nullptr;
// The child's bytes inside the unpacked archive (which stays mapped for the whole run).
ChildImage g_child = {nullptr, 0};

bool NameIs(const uapi::Module& module, const char* name) {
  for (size_t i = 0; i < uapi::kModuleNameSize; ++i) {
    if (module.name[i] != name[i]) return false;
    if (name[i] == '\0') return true;
  }
  return false;
}

bool Unpack() {
  if (g_child.data != nullptr) return true;
  if (g_boot_info == nullptr) return false;
  // Module frames follow kRootFirstModuleHandle in BootInfo order, root.elf left out
  // (uapi/initial_caps.h).
  uint32_t handle = uapi::kRootFirstModuleHandle;
  const uapi::Module* module = nullptr;
  for (uint32_t i = 0; i < g_boot_info->module_count && i < uapi::kMaxModules; ++i) {
    if (NameIs(g_boot_info->modules[i], kRootModule)) continue;
    if (NameIs(g_boot_info->modules[i], kInitfsModule)) {
      module = &g_boot_info->modules[i];
      break;
    }
    ++handle;
  }
  if (module == nullptr) {
    rt::Printf("bench: no %s boot module", kInitfsModule);
    return false;
  }
  auto unpacked = root::UnpackInitfs(kMemory, kOwnVmem, handle, module->size, kModuleAddress,
                                     rt::kSharedDataAddress);
  if (!unpacked.ok()) {
    rt::Printf("bench: %s: %s", kInitfsModule, unpacked.error().message);
    return false;
  }
  auto entry = unpacked.value().archive.Lookup(kChildPath);
  if (!entry.ok()) {
    rt::Printf("bench: no /%s in %s", kChildPath, kInitfsModule);
    return false;
  }
  g_child = ChildImage{entry.value().data, entry.value().size};
  return true;
}

}  // namespace

void SetBootInfo(uint64_t boot_info_address) {
  g_boot_info = reinterpret_cast<const uapi::BootInfo*>(boot_info_address);
}

bool FindChildImage(ChildImage* out) {
  if (!Unpack()) return false;
  *out = g_child;
  return true;
}

Result<rt::Spawned, rt::SpawnError> SpawnChild(const ChildImage& image, const char* mode,
                                               const rt::SpawnCap* caps, size_t cap_count) {
  const char* const args[] = {kChildPath, mode};
  rt::SpawnRequest request;
  request.memory = kMemory;
  request.own_vmem = kOwnVmem;
  request.image = image.data;
  request.image_size = image.size;
  request.args = args;
  request.arg_count = 2;
  request.caps = caps;
  request.cap_count = cap_count;
  request.pid = 2;
  return rt::Spawn(request);
}

}  // namespace hiillos::bench
