// services/lib/loader.h — Spawn: starts a static ELF64 program (from bytes in memory) in a new
// process with arguments, environment and named initial capabilities, passed in the start
// information block (lib/startinfo, docs/startinfo.md) at the layout of process_layout.h.
//
// Everything the new process is made of (Vmem, Process, Thread, image/stack/start-info frames,
// page tables) is allocated from `memory`. A failed Spawn leaves nothing behind: every object
// and capability it made is gone again when it returns the error. The child gets no capability
// to its own Process or Thread (a never-started process holding one would be a reference cycle,
// docs/objects.md); it gets its own Vmem as "vmem". Uses the spawner's scratch window
// (kLoaderScratchAddress): one Spawn at a time per address space.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "lib/base/result.h"
#include "lib/elf/error.h"
#include "lib/startinfo/error.h"
#include "uapi/rights.h"
#include "uapi/status.h"

namespace hiillos::rt {

struct SpawnCap {
  const char* name;     // NUL-terminated, as the program looks it up
  uint32_t handle;      // the spawner's handle (needs Clone + Transfer)
  uapi::Rights rights;  // what the child gets (a subset)
};

// The spawner's capabilities to the started child (all rights).
struct Spawned {
  uint32_t process;
  uint32_t vmem;
  uint32_t thread;
};

// Runs once the child's Vmem, Process and Thread exist, before its capabilities are given and
// its thread starts: makes one more capability for the child (proc registers the child's
// address space with the vm server there and passes its space Sender as "vm"). The spawner
// keeps the handle `prepare` returns and deletes it when it likes. An error fails the Spawn
// (reported as a syscall error at the step "preparing a capability"). If a later step fails,
// the child's process is killed before it is deleted, so anything watching its thread sees it
// end (reason Killed).
struct SpawnHook {
  const char* name;     // the capability's name in the child
  uapi::Rights rights;  // what the child gets
  void* context;
  Result<uint32_t, uapi::Status> (*prepare)(void* context, const Spawned& child);
};

struct SpawnRequest {
  uint32_t memory = 0;    // pays for the child (Write)
  uint32_t own_vmem = 0;  // the spawner's own Vmem (Map), for the scratch window
  // Pays for the scratch window's mappings in own_vmem (Write): the kernel keeps page tables
  // until a Vmem dies, charged to the Memory whose map created them, so this should be the
  // spawner's own Memory. 0: `memory` (then the first child's Memory, whichever made the
  // window's tables, stays charged for them, and alive, until own_vmem goes).
  uint32_t scratch_memory = 0;
  const uint8_t* image = nullptr;
  size_t image_size = 0;
  const char* const* args = nullptr;  // args[0] is the program's path
  size_t arg_count = 0;
  const char* const* env = nullptr;  // "key=value"
  size_t env_count = 0;
  const SpawnCap* caps = nullptr;
  size_t cap_count = 0;
  uint64_t pid = 0;  // non-zero
  // Also give the child its own Process (Read + Write) as "process", so it can add threads
  // (the vm server's fault thread). The capability goes with the child's last thread.
  bool give_process = false;
  const SpawnHook* hook = nullptr;  // optional
};

// Why a Spawn failed: the ELF check, the start block, or a syscall at a named step.
struct SpawnError {
  enum class Kind : uint8_t { kElf, kStartInfo, kSyscall } kind;
  elf::Error elf;
  startinfo::Error startinfo;
  uapi::Status status;
  const char* step;  // the syscall step ("allocating the stack", ...), or the check
};

// Writes a one-line description ("invalid ELF: segments overlap") into out[0, capacity).
void DescribeSpawnError(const SpawnError& error, char* out, size_t capacity);

Result<Spawned, SpawnError> Spawn(const SpawnRequest& request);

// Deletes the spawner's capabilities to a child (after it ended, or to abandon it).
void Release(const Spawned& spawned);

}  // namespace hiillos::rt
