// services/vfsd/spawn.cc — SpawnProgram: rt::Spawn and the child's IPC buffer page.
#include "services/vfsd/spawn.h"

#include "lib/format/format.h"
#include "services/lib/syscalls.h"
#include "services/vfsd/ipc_channel.h"

namespace hiillos::fs {

Result<rt::Spawned, uapi::Status> SpawnProgram(const rt::SpawnRequest& request, char* why,
                                               size_t why_capacity) {
  auto spawned = rt::Spawn(request);
  if (!spawned.ok()) {
    rt::DescribeSpawnError(spawned.error(), why, why_capacity);
    return Err(spawned.error().kind == rt::SpawnError::Kind::kSyscall
                   ? spawned.error().status
                   : uapi::Status::kInvalidArgument);
  }
  const rt::Spawned child = spawned.value();
  auto page = rt::MemoryAllocFrame(request.memory, 0);
  if (!page.ok()) {
    format::FormatToBuffer(why, why_capacity, "no IPC buffer page for the child");
    rt::Release(child);
    return Err(page.error());
  }
  auto mapped = rt::VmemMap(child.vmem, page.value(), kIpcBufferAddress,
                            uapi::kMapRead | uapi::kMapWrite, request.memory);
  // The mapping keeps the frame alive (docs/objects.md); the spawner's capability can go.
  (void)rt::CapDelete(page.value());
  if (!mapped.ok()) {
    format::FormatToBuffer(why, why_capacity, "cannot map the child's IPC buffer");
    rt::Release(child);
    return Err(mapped.error());
  }
  if (auto set = rt::ThreadSetIpcBuffer(child.thread, kIpcBufferAddress); !set.ok()) {
    format::FormatToBuffer(why, why_capacity, "cannot register the child's IPC buffer");
    rt::Release(child);
    return Err(set.error());
  }
  return child;
}

void ReleaseProgram(const rt::Spawned& spawned) {
  rt::Release(spawned);
}

}  // namespace hiillos::fs
