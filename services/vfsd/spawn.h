// services/vfsd/spawn.h — how the file-system stack starts a program (vfsd its drivers, the
// guest tests their servers): rt::Spawn from ELF bytes, with a one-line reason on failure. The
// loader registers the child's IPC buffer (rt::kIpcBufferAddress) before its thread starts, so
// a child may transfer capabilities from its first instruction (fs::ProgramIpcBuffer()).
#pragma once

#include <stddef.h>

#include "lib/base/result.h"
#include "services/lib/loader.h"

namespace hiillos::fs {

// Starts the program; on failure writes a one-line reason into `why` and leaves nothing behind.
Result<rt::Spawned, uapi::Status> SpawnProgram(const rt::SpawnRequest& request, char* why,
                                               size_t why_capacity);

// Ends a child that did not exit by itself (deletes the spawner's capabilities to it; the
// process dies with its last capability) or releases one that exited.
void ReleaseProgram(const rt::Spawned& spawned);

}  // namespace hiillos::fs
