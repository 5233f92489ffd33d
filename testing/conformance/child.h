// testing/conformance/child.h — helpers that make child processes for the suite: threads in a
// process sharing the suite's own address space (running one of the suite's functions), and
// processes with their own address space running a few bytes of machine code.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "lib/base/result.h"
#include "services/lib/syscalls.h"
#include "uapi/initial_caps.h"
#include "uapi/syscalls.h"

namespace hiillos::conformance {

using rt::Handle;
inline constexpr Handle kSelf = uapi::kRootProcessHandle;
inline constexpr Handle kOwnVmem = uapi::kRootVmemHandle;
inline constexpr Handle kOwnThread = uapi::kRootThreadHandle;
inline constexpr Handle kMemory = uapi::kRootMemoryHandle;
inline constexpr Handle kBootInfoFrame = uapi::kRootBootInfoHandle;
inline constexpr Handle kLog = uapi::kRootLogHandle;

// Where the suite maps frames for its own tests (well away from the image, heap and stack).
inline constexpr uint64_t kScratchBase = 0x0000'2000'0000'0000ull;
// Where snippet children run their code.
inline constexpr uint64_t kSnippetCode = 0x40'0000;

using ChildFunction = void (*)(uint64_t arg);

struct Child {
  Handle process = 0;
  Handle thread = 0;
  void* stack = nullptr;  // shared-vmem children
  Handle vmem = 0;        // snippet children: their own address space
  Handle code_frame = 0;  // snippet children
};

// A process that shares the suite's Vmem, with one thread that runs fn(arg) on its own stack and
// then exits with code 0 (fn may exit, fault or spin instead). `start`: start it now.
Result<Child, uapi::Status> SpawnShared(ChildFunction fn, uint64_t arg, bool start = true);
// A process with its own Vmem whose thread executes `code` (mapped read+execute at
// kSnippetCode, no stack).
Result<Child, uapi::Status> SpawnSnippet(const uint8_t* code, size_t size, bool start = true);
// The registers a shared child's thread starts with (for SetRegs tests).
uapi::ThreadRegs SharedChildRegs(ChildFunction fn, uint64_t arg, void* stack);

// Waits for the child's thread (ThreadWait) and returns how it ended.
uapi::ThreadExit Wait(const Child& child);
// Deletes every capability of the child and frees its stack.
void Release(Child& child);

// Stops `thread` and waits until its registers can be read (the stop took effect).
Result<uapi::ThreadRegs, uapi::Status> StopAndGetRegs(Handle thread);

}  // namespace hiillos::conformance
