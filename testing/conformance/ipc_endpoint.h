// testing/conformance/ipc_endpoint.h — what the IPC cases (cases_ipc.cc, cases_ipc_fast.cc) build
// their messages and endpoints from: a register message from its words, a status as a child's
// exit code, and a Receiver with one badged Sender and a Reply slot, created and deleted with
// every step checked.
#pragma once

#include <stdint.h>

#include "testing/conformance/child.h"
#include "testing/conformance/harness.h"
#include "uapi/ipc.h"

namespace hiillos::conformance {

// A register message holding w0..w5.
uapi::IpcMessage Words(uint64_t w0, uint64_t w1 = 0, uint64_t w2 = 0, uint64_t w3 = 0,
                       uint64_t w4 = 0, uint64_t w5 = 0);

// A status as a child reports it in its exit code (1000 + status).
inline uint64_t StatusCode(uapi::Status status) {
  return 1000 + static_cast<uint64_t>(status);
}

struct Endpoint {
  Handle receiver = 0;
  Handle sender = 0;
  Handle reply = 0;
};

// A Receiver in the conformance Memory, a Sender to it with `badge`, and a Reply slot.
Endpoint MakeEndpoint(uint64_t badge);

// Deletes `handle` (if any) and clears it.
void Delete(Handle& handle);

// Deletes the endpoint's Sender, Reply slot and Receiver.
void DeleteEndpoint(Endpoint& e);

}  // namespace hiillos::conformance
