// services/vm/protocol.h — the vm server's IPC protocol (docs/protocols/vm.md): operation codes,
// reply statuses, badges and flags, shared by the server, its clients and host tests.
//
// Request: w0 = operation, w1.. = arguments. Reply: w0 = Status (kOk = 0), w1.. = results.
// Two kinds of Sender reach the server: the registration endpoint (badge kAdminBadge), which
// root/proc hold, and one badged Sender per registered address space (the process's "vm"
// capability), which names the space in every request it makes.
#pragma once

#include <stdint.h>

namespace hiillos::vm::protocol {

enum Op : uint64_t {
  // Admin endpoint. caps[0] = the process's Vmem (Map, Clone + Transfer for the copy),
  // caps[1] = its Memory budget (Write, Clone + Transfer), optionally caps[2] = a thread of the
  // process (Read, Clone + Transfer): when it ends (exit, kill, fault) the server releases the
  // space by itself. w1 = budget bytes the space may use.
  // Reply: w1 = space id, caps[0] = the space's Sender (Write, Clone, Transfer).
  kRegisterSpace = 1,
  // Space endpoint. w1 = size (page multiple), w2 = AllocFlags, w3 = protection (kProt*).
  // Reply: w1 = address. Anonymous memory is zero-filled on first touch (page faults reach the
  // server as the space's pager); shared memory is one frame, mapped at once.
  kAlloc = 2,
  // Space endpoint. w1 = address, w2 = size: unmaps [address, address + size) and frees the
  // pages no other space uses. Size 0: the whole region that starts at `address`.
  kFree = 3,
  // Space endpoint. w1 = address of a shared region of this space, w2 = the other space's id,
  // w3 = protection (at most the region's). Reply: w1 = the address in the other space.
  kShare = 4,
  // Space endpoint: everything of this space is freed (frames, mappings, records); the pager is
  // detached and the space's Sender stops working. Admin endpoint: w1 = the space id. Each call
  // does a bounded part of the work: the reply is kInProgress until the space is gone (call
  // again; the space takes no other request meanwhile but Stats).
  kReleaseSpace = 5,
  // Space endpoint: w1 = resident (touched) anonymous pages, w2 = bytes charged to the space's
  // budget, w3 = frames the server holds for the space. Admin endpoint: w1 = spaces registered,
  // w2 = frames held for all spaces, w3 = bytes of those frames.
  kStats = 6,
};

enum class Status : uint64_t {
  kOk = 0,
  kBadOperation = 1,  // unknown w0, or an operation the endpoint may not make
  kBadArgument = 2,   // a missing capability, a zero size, unknown flags
  kTooManySpaces = 3,
  kNoSuchSpace = 4,  // the space was released, or the id names none
  kKernel = 5,       // a kernel call failed: w1 = the uapi::Status
  kVm = 6,           // the address-space logic refused: w1 = the vm::VmError
  kInProgress = 7,   // ReleaseSpace: a bounded step was done, more remain: call again
};

enum AllocFlags : uint64_t {
  kAllocShared = 1 << 0,  // one frame, mapped at once, sharable with kShare
};

// Badges: the admin endpoint's, and the server's own fault thread's (internal).
inline constexpr uint64_t kAdminBadge = 0;
inline constexpr uint64_t kFaultThreadBadge = uint64_t{1} << 63;
// A space's badge: its slot + 1 in bits 0..15, a generation in bits 16..47.
inline constexpr uint64_t SpaceBadge(uint64_t slot, uint64_t generation) {
  return (slot + 1) | (generation << 16);
}
inline constexpr uint64_t BadgeSlot(uint64_t badge) {
  return (badge & 0xffff) - 1;
}
inline constexpr uint64_t BadgeGeneration(uint64_t badge) {
  return (badge >> 16) & 0xffff'ffff;
}

}  // namespace hiillos::vm::protocol
