// services/vm/launch.h — starting /sbin/vm: the spawner (root) makes the server's Receiver and
// keeps the registration Sender (badge protocol::kAdminBadge) that RegisterSpace calls use.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "lib/base/result.h"
#include "services/lib/loader.h"

namespace hiillos::vm {

struct LaunchRequest {
  uint32_t memory = 0;    // the spawner's Memory: pays for the server's process and its budget
  uint32_t own_vmem = 0;  // the spawner's Vmem (the loader's scratch window)
  uint32_t log = 0;       // optional: the server's "log"
  const uint8_t* image = nullptr;  // /sbin/vm's ELF bytes
  size_t image_size = 0;
  uint64_t pid = 0;
  uint64_t budget_bytes = 0;  // the server's own Memory (capability slots, its fault thread)
};

struct Launched {
  rt::Spawned spawned;     // the server's process, Vmem and main thread
  uint32_t registrar = 0;  // the admin Sender (all rights): RegisterSpace, Stats, ReleaseSpace
};

// Why a launch failed: a syscall (status, step) or the spawn.
struct LaunchError {
  uapi::Status status;
  const char* step;
  bool spawn;
  rt::SpawnError spawn_error;
};

Result<Launched, LaunchError> Launch(const LaunchRequest& request);

}  // namespace hiillos::vm
