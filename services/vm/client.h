// services/vm/client.h — typed calls to the vm server (protocol.h, docs/protocols/vm.md), for
// root/proc (RegisterSpace on the admin endpoint) and for programs (the rest, on their space's
// "vm" Sender). Capabilities travel through the calling thread's IPC buffer, which must be at
// rt::kIpcBufferAddress (spawned programs have it there; services/lib/loader.h).
#pragma once

#include <stdint.h>

#include "lib/base/result.h"
#include "services/vm/protocol.h"

namespace hiillos::vm {

struct ClientError {
  protocol::Status status;
  uint64_t detail;  // the uapi::Status (kKernel), the VmError (kVm), or the IPC call's status
};

struct RegisteredSpace {
  uint32_t sender;  // the space's badged Sender: the process's "vm" capability
  uint64_t id;
};

struct SpaceStats {
  uint64_t w1, w2, w3;  // protocol.h kStats: per space or for the admin endpoint
};

// Registers the address space `vmem` paid by `memory` (the caller keeps both; the server gets
// copies) with a budget of `budget_bytes`. With a `thread` of the process (non-zero; the caller
// keeps it, the server gets a copy with Read, Clone and Transfer) the server releases the space
// by itself when that thread ends, however it ends.
Result<RegisteredSpace, ClientError> RegisterSpace(uint32_t vm_admin, uint32_t vmem,
                                                   uint32_t memory, uint64_t budget_bytes,
                                                   uint32_t thread = 0);
Result<uint64_t, ClientError> Alloc(uint32_t vm, uint64_t size, uint64_t flags, uint8_t protection);
Result<void, ClientError> Free(uint32_t vm, uint64_t address, uint64_t size);
Result<uint64_t, ClientError> Share(uint32_t vm, uint64_t address, uint64_t to_space,
                                    uint8_t protection);
// Both repeat the call while the server answers kInProgress (one bounded step per call).
Result<void, ClientError> ReleaseSpace(uint32_t vm);
Result<void, ClientError> ReleaseSpaceById(uint32_t vm_admin, uint64_t space);
Result<SpaceStats, ClientError> Stats(uint32_t vm);

}  // namespace hiillos::vm
