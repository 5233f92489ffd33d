// testing/vm/vm_test.cc — the vm guest test's root program (//testing:vm_test_smp1, _smp4). It
// unpacks the initfs, starts /sbin/vm the way root does (services/vm/launch.h), then spawns
// /bin/vm_child with a Memory of its own and the registration endpoint: the child registers its
// address space, allocates and touches heap memory through the server (lazy zero-fill, checked
// against the server's Stats) and exits, releasing its space. Afterwards the server holds no
// space and no frame, and the child's Memory is back to what it was charged before.
// Prints "vm_test: N passed, N failed"; the exit code is the failure count.
#include "services/lib/loader.h"
#include "services/lib/page_allocator.h"
#include "services/lib/print.h"
#include "services/lib/process_layout.h"
#include "services/lib/start.h"
#include "services/lib/syscalls.h"
#include "services/root/unpack.h"
#include "services/vm/client.h"
#include "services/vm/launch.h"
#include "uapi/boot_info.h"
#include "uapi/initial_caps.h"

namespace {

using namespace hiillos;

constexpr uint64_t kModuleAddress = 0x0000'3100'0000'0000ull;
constexpr uint64_t kChildBudget = 4 << 20;

int g_passed = 0;
int g_failed = 0;

void Check(bool ok, const char* what) {
  if (ok) {
    ++g_passed;
  } else {
    ++g_failed;
    rt::Printf("vm_test: FAILED: %s", what);
  }
}

bool NameIs(const uapi::Module& module, const char* name) {
  for (size_t i = 0; i < uapi::kModuleNameSize; ++i) {
    if (module.name[i] != name[i]) return false;
    if (name[i] == '\0') return true;
  }
  return false;
}

// The initfs module's frame (uapi/initial_caps.h numbering), 0 if absent.
uint32_t FindInitfs(const uapi::BootInfo& info, uint64_t* size) {
  uint32_t handle = uapi::kRootFirstModuleHandle;
  for (uint32_t i = 0; i < info.module_count && i < uapi::kMaxModules; ++i) {
    if (NameIs(info.modules[i], "root.elf")) continue;
    if (NameIs(info.modules[i], "initfs.tar.zst")) {
      *size = info.modules[i].size;
      return handle;
    }
    ++handle;
  }
  return 0;
}

// Root's thread gets an IPC buffer where the vm client expects it.
bool SetUpIpcBuffer() {
  auto frame = rt::MemoryAllocFrame(uapi::kRootMemoryHandle, 0);
  if (!frame.ok()) return false;
  if (!rt::VmemMap(uapi::kRootVmemHandle, frame.value(), rt::kIpcBufferAddress,
                   uapi::kMapRead | uapi::kMapWrite, uapi::kRootMemoryHandle)
           .ok()) {
    return false;
  }
  return rt::ThreadSetIpcBuffer(uapi::kRootThreadHandle, rt::kIpcBufferAddress).ok();
}

void RunChild(const ustar::Archive& archive, uint32_t registrar) {
  auto admin_before = vm::Stats(registrar);
  Check(admin_before.ok() && admin_before.value().w1 == 0 && admin_before.value().w2 == 0,
        "the server starts with no space and no frame");
  auto memory = rt::MemoryCreate(uapi::kRootMemoryHandle, kChildBudget);
  Check(memory.ok(), "a Memory for the child");
  if (!memory.ok()) return;
  const uint64_t used_before = rt::MemoryInfo(memory.value()).value().used_bytes;
  auto image = archive.Lookup("bin/vm_child");
  Check(image.ok(), "/bin/vm_child is in the initfs");
  if (image.ok()) {
    const char* const args[] = {"initfs:///bin/vm_child"};
    const rt::SpawnCap caps[] = {
        {"memory", memory.value(), uapi::Rights::kAll},
        {"log", uapi::kRootLogHandle, uapi::Rights::kWrite},
        {"vm_register", registrar, uapi::Rights::kWrite},
    };
    rt::SpawnRequest request;
    request.memory = uapi::kRootMemoryHandle;
    request.own_vmem = uapi::kRootVmemHandle;
    request.image = image.value().data;
    request.image_size = image.value().size;
    request.args = args;
    request.arg_count = 1;
    request.caps = caps;
    request.cap_count = 3;
    request.pid = 2;
    auto spawned = rt::Spawn(request);
    Check(spawned.ok(), "spawning /bin/vm_child");
    if (spawned.ok()) {
      auto exit = rt::ThreadWait(spawned.value().thread);
      Check(exit.ok() && exit.value().reason == uapi::ExitReason::kExited,
            "the child exited normally");
      if (exit.ok() && exit.value().code != 0) {
        rt::Printf("vm_test: FAILED: vm_child check %lu", exit.value().code);
        ++g_failed;
      }
      rt::Release(spawned.value());
    }
  }
  auto admin_after = vm::Stats(registrar);
  Check(admin_after.ok(), "Stats after the child");
  if (admin_after.ok()) {
    rt::Printf("vm_test: after the child: %lu spaces, %lu frames, %lu bytes held",
               admin_after.value().w1, admin_after.value().w2, admin_after.value().w3);
    Check(admin_after.value().w1 == 0, "the child's space was released");
    Check(admin_after.value().w2 == 0 && admin_after.value().w3 == 0,
          "the server holds no frame any more");
  }
  auto info = rt::MemoryInfo(memory.value());
  Check(info.ok() && info.value().used_bytes == used_before,
        "the child's Memory is back to its baseline");
  (void)rt::CapDelete(memory.value());
}

int Run(const uapi::BootInfo& info) {
  rt::SetLogHandle(uapi::kRootLogHandle);
  rt::InitPages(uapi::kRootMemoryHandle, uapi::kRootVmemHandle);
  Check(SetUpIpcBuffer(), "root's IPC buffer");
  uint64_t module_size = 0;
  const uint32_t module = FindInitfs(info, &module_size);
  Check(module != 0, "the initfs module");
  if (module == 0) return 1;
  auto initfs = root::UnpackInitfs(uapi::kRootMemoryHandle, uapi::kRootVmemHandle, module,
                                   module_size, kModuleAddress, rt::kSharedDataAddress);
  Check(initfs.ok(), "unpacking the initfs");
  if (!initfs.ok()) return 1;
  auto image = initfs.value().archive.Lookup("sbin/vm");
  Check(image.ok(), "/sbin/vm is in the initfs");
  if (!image.ok()) return 1;
  vm::LaunchRequest request;
  request.memory = uapi::kRootMemoryHandle;
  request.own_vmem = uapi::kRootVmemHandle;
  request.log = uapi::kRootLogHandle;
  request.image = image.value().data;
  request.image_size = image.value().size;
  request.pid = 1;
  request.budget_bytes = 1 << 20;
  auto launched = vm::Launch(request);
  Check(launched.ok(), "starting /sbin/vm");
  if (launched.ok()) RunChild(initfs.value().archive, launched.value().registrar);
  rt::Printf("vm_test: %d passed, %d failed", g_passed, g_failed);
  return g_failed;
}

}  // namespace

int UserMain(uint64_t boot_info_address, uint64_t) {
  return Run(*reinterpret_cast<const uapi::BootInfo*>(boot_info_address));
}
