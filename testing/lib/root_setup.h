// testing/lib/root_setup.h — what a guest test program running as the root process does before it
// can start servers: its log and page allocator, find the initfs boot module, unpack it
// (services/root/unpack.h), and give its own thread an IPC buffer where the loader would have put
// one (nobody loaded root).
#pragma once

#include <stdint.h>

#include "services/root/unpack.h"
#include "uapi/boot_info.h"

namespace hiillos::testing_lib {

// Where the tests map the compressed module while unpacking it.
inline constexpr uint64_t kInitfsModuleAddress = 0x0000'3100'0000'0000ull;

// The frame handle of boot module "initfs.tar.zst" (uapi/initial_caps.h numbering: root.elf has
// none) and its size in *size; 0 when there is no such module.
uint32_t FindInitfsModule(const uapi::BootInfo& info, uint64_t* size);

// FindInitfsModule + root::UnpackInitfs at rt::kSharedDataAddress. On failure prints
// "<test>: initfs: <why>" (why: "no initfs.tar.zst boot module" or the unpacker's message).
Result<root::Unpacked, root::UnpackError> UnpackRootInitfs(const uapi::BootInfo& info,
                                                           const char* test);

// A root test's first steps: rt::Printf to root's log, the page allocator over root's Memory and
// Vmem (rt::InitPages), then UnpackRootInitfs (which prints why it failed).
Result<root::Unpacked, root::UnpackError> StartRootTest(const uapi::BootInfo& info,
                                                        const char* test);

// Maps a fresh page at rt::kIpcBufferAddress and registers it as root's thread's IPC buffer.
bool SetUpRootIpcBuffer();

}  // namespace hiillos::testing_lib
