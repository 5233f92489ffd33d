// services/root/start_vm.cc — starting /sbin/vm from root (start_vm.h).
#include "services/root/start_vm.h"

#include "services/lib/print.h"
#include "services/vm/launch.h"
#include "uapi/initial_caps.h"

namespace hiillos::root {

namespace {
constexpr char kVmPath[] = "sbin/vm";
// The server's slots, its fault thread, and one exit watcher (a helper process and thread) per
// space registered with a thread: up to 64 at once.
constexpr uint64_t kVmBudget = 4 << 20;
}  // namespace

uint32_t StartVm(const ustar::Archive& initfs, uint64_t pid) {
  auto image = initfs.Lookup(kVmPath);
  if (!image.ok()) {
    rt::Printf("root: no /%s in the archive: vm not started", kVmPath);
    return 0;
  }
  vm::LaunchRequest request;
  request.memory = uapi::kRootMemoryHandle;
  request.own_vmem = uapi::kRootVmemHandle;
  request.log = uapi::kRootLogHandle;
  request.image = image.value().data;
  request.image_size = image.value().size;
  request.pid = pid;
  request.budget_bytes = kVmBudget;
  auto launched = vm::Launch(request);
  if (!launched.ok()) {
    if (launched.error().spawn) {
      char reason[128];
      rt::DescribeSpawnError(launched.error().spawn_error, reason, sizeof(reason));
      rt::Printf("root: cannot start /%s: %s", kVmPath, reason);
    } else {
      rt::Printf("root: cannot start /%s: %s: %s", kVmPath, launched.error().step,
                 uapi::StatusName(launched.error().status));
    }
    return 0;
  }
  rt::Printf("root: started /%s as pid %lu", kVmPath, pid);
  return launched.value().registrar;
}

}  // namespace hiillos::root
