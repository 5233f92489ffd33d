// services/block/serve_loop.h — a block driver's server loop (user programs): receives block
// protocol requests, handles AttachBuffer (the one request that carries a capability: the frame
// is mapped for the session) and passes every other request to the shared RequestChecks, then
// answers. Shared by services/ramdisk and services/virtio_blk.
#pragma once

#include <stdint.h>

#include "services/block/request_checks.h"
#include "uapi/ipc.h"

namespace hiillos::block {

struct ServeLoopConfig {
  uint32_t endpoint = 0;                  // the driver's Receiver
  uint32_t reply = 0;                     // a Reply capability for the loop
  uint32_t vmem = 0;                      // the driver's own Vmem (Map), for the attached buffer
  uint32_t memory = 0;                    // pays for the buffer's mapping
  uint64_t buffer_address = 0;            // where the attached buffer is mapped
  uint64_t max_buffer_bytes = 0;          // larger frames are refused (kBadRequest)
  uapi::IpcBuffer* ipc_buffer = nullptr;  // this thread's registered IPC buffer
};

// Serves until the endpoint is dead (its last Sender gone); a caller that vanished while being
// answered is skipped. Leaves the attached buffer unmapped and deleted when it returns.
void ServeBlockRequests(RequestChecks& checks, const ServeLoopConfig& config);

// A driver that found no disk: answers every request with kNoDevice (dropping any capability
// it carries) until the endpoint is dead, so clients get an error instead of waiting for a
// disk that is not there. Uses config.endpoint, reply and ipc_buffer.
void ServeNoDevice(const ServeLoopConfig& config);

}  // namespace hiillos::block
