// services/vfsd/spawn.cc — SpawnProgram: rt::Spawn with a readable failure reason.
#include "services/vfsd/spawn.h"

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
  return spawned.value();
}

void ReleaseProgram(const rt::Spawned& spawned) {
  rt::Release(spawned);
}

}  // namespace hiillos::fs
