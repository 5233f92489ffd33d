// services/vfsd/spawn.cc — SpawnProgram: rt::Spawn with a one-line reason on failure.
#include "services/vfsd/spawn.h"

#include "lib/format/format.h"
#include "services/lib/syscalls.h"

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
  // The loader mapped and registered the child's IPC buffer (rt::kIpcBufferAddress) before the
  // child's thread started: nothing is left to race with the child.
  return spawned.value();
}

void ReleaseProgram(const rt::Spawned& spawned) {
  rt::Release(spawned);
}

}  // namespace hiillos::fs
