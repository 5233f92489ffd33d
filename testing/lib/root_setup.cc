// testing/lib/root_setup.cc — FindInitfsModule, UnpackRootInitfs, StartRootTest,
// SetUpRootIpcBuffer.
#include "testing/lib/root_setup.h"

#include "lib/format/format.h"
#include "services/lib/page_allocator.h"
#include "services/lib/print.h"
#include "services/lib/process_layout.h"
#include "services/lib/syscalls.h"
#include "uapi/initial_caps.h"

namespace hiillos::testing_lib {
namespace {

bool NameIs(const uapi::Module& module, const char* name) {
  for (size_t i = 0; i < uapi::kModuleNameSize; ++i) {
    if (module.name[i] != name[i]) return false;
    if (name[i] == '\0') return true;
  }
  return false;
}

}  // namespace

uint32_t FindInitfsModule(const uapi::BootInfo& info, uint64_t* size) {
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

Result<root::Unpacked, root::UnpackError> UnpackRootInitfs(const uapi::BootInfo& info,
                                                           const char* test) {
  uint64_t size = 0;
  const uint32_t module = FindInitfsModule(info, &size);
  if (module == 0) {
    rt::Printf("%s: initfs: no initfs.tar.zst boot module", test);
    root::UnpackError error{};
    format::FormatToBuffer(error.message, sizeof(error.message), "no initfs.tar.zst boot module");
    return Err(error);
  }
  auto initfs = root::UnpackInitfs(uapi::kRootMemoryHandle, uapi::kRootVmemHandle, module, size,
                                   kInitfsModuleAddress, rt::kSharedDataAddress);
  if (!initfs.ok()) rt::Printf("%s: initfs: %s", test, initfs.error().message);
  return initfs;
}

Result<root::Unpacked, root::UnpackError> StartRootTest(const uapi::BootInfo& info,
                                                        const char* test) {
  rt::SetLogHandle(uapi::kRootLogHandle);
  rt::InitPages(uapi::kRootMemoryHandle, uapi::kRootVmemHandle);
  return UnpackRootInitfs(info, test);
}

bool SetUpRootIpcBuffer() {
  auto frame = rt::MemoryAllocFrame(uapi::kRootMemoryHandle, 0);
  if (!frame.ok()) return false;
  if (!rt::VmemMap(uapi::kRootVmemHandle, frame.value(), rt::kIpcBufferAddress,
                   uapi::kMapRead | uapi::kMapWrite, uapi::kRootMemoryHandle)
           .ok()) {
    return false;
  }
  return rt::ThreadSetIpcBuffer(uapi::kRootThreadHandle, rt::kIpcBufferAddress).ok();
}

}  // namespace hiillos::testing_lib
