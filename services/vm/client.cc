// services/vm/client.cc — the vm server's client calls (client.h).
#include "services/vm/client.h"

#include "services/lib/process_layout.h"
#include "services/lib/syscalls.h"
#include "uapi/ipc.h"

namespace hiillos::vm {
namespace {

uapi::IpcBuffer& Buffer() {
  return *reinterpret_cast<uapi::IpcBuffer*>(rt::kIpcBufferAddress);
}

uapi::IpcMessage Words(uint64_t w0, uint64_t w1 = 0, uint64_t w2 = 0, uint64_t w3 = 0) {
  uapi::IpcMessage message;
  message.words[0] = w0;
  message.words[1] = w1;
  message.words[2] = w2;
  message.words[3] = w3;
  return message;
}

// Calls and turns a non-kOk reply into an error.
Result<uapi::IpcMessage, ClientError> Exchange(uint32_t sender, const uapi::IpcMessage& request) {
  auto reply = rt::Call(sender, request);
  if (!reply.ok()) {
    return Err(ClientError{protocol::Status::kKernel, static_cast<uint64_t>(reply.error())});
  }
  const auto status = static_cast<protocol::Status>(reply.value().words[0]);
  if (status != protocol::Status::kOk) return Err(ClientError{status, reply.value().words[1]});
  return reply.value();
}

}  // namespace

Result<RegisteredSpace, ClientError> RegisterSpace(uint32_t vm_admin, uint32_t vmem,
                                                   uint32_t memory, uint64_t budget_bytes,
                                                   uint32_t thread) {
  uapi::IpcMessage request = Words(protocol::kRegisterSpace, budget_bytes);
  request.info = uapi::IpcInfo::Make(0, thread != 0 ? 3 : 2);
  const uapi::Rights vmem_rights = uapi::Rights::kRead | uapi::Rights::kWrite | uapi::Rights::kMap;
  const uapi::Rights memory_rights = uapi::Rights::kRead | uapi::Rights::kWrite;
  Buffer().caps[0] = uapi::IpcCap{vmem, uapi::kIpcCopy, vmem_rights.bits, 0};
  Buffer().caps[1] = uapi::IpcCap{memory, uapi::kIpcCopy, memory_rights.bits, 0};
  if (thread != 0) {
    const uapi::Rights thread_rights =
        uapi::Rights::kRead | uapi::Rights::kClone | uapi::Rights::kTransfer;
    Buffer().caps[2] = uapi::IpcCap{thread, uapi::kIpcCopy, thread_rights.bits, 0};
  }
  uapi::IpcMessage reply = TRY(Exchange(vm_admin, request));
  if (uapi::IpcInfo::Caps(reply.info) != 1) {
    return Err(ClientError{protocol::Status::kBadArgument, 0});
  }
  return RegisteredSpace{Buffer().caps[0].handle, reply.words[1]};
}

Result<uint64_t, ClientError> Alloc(uint32_t vm, uint64_t size, uint64_t flags,
                                    uint8_t protection) {
  return TRY(Exchange(vm, Words(protocol::kAlloc, size, flags, protection))).words[1];
}

Result<void, ClientError> Free(uint32_t vm, uint64_t address, uint64_t size) {
  TRY(Exchange(vm, Words(protocol::kFree, address, size)));
  return Ok<ClientError>();
}

Result<uint64_t, ClientError> Share(uint32_t vm, uint64_t address, uint64_t to_space,
                                    uint8_t protection) {
  return TRY(Exchange(vm, Words(protocol::kShare, address, to_space, protection))).words[1];
}

namespace {
// Repeats a ReleaseSpace request while the server answers kInProgress.
Result<void, ClientError> Release(uint32_t sender, const uapi::IpcMessage& request) {
  for (;;) {
    auto done = Exchange(sender, request);
    if (done.ok()) return Ok<ClientError>();
    if (done.error().status != protocol::Status::kInProgress) return Err(done.error());
  }
}
}  // namespace

Result<void, ClientError> ReleaseSpace(uint32_t vm) {
  return Release(vm, Words(protocol::kReleaseSpace));
}

Result<void, ClientError> ReleaseSpaceById(uint32_t vm_admin, uint64_t space) {
  return Release(vm_admin, Words(protocol::kReleaseSpace, space));
}

Result<SpaceStats, ClientError> Stats(uint32_t vm) {
  uapi::IpcMessage reply = TRY(Exchange(vm, Words(protocol::kStats)));
  return SpaceStats{reply.words[1], reply.words[2], reply.words[3]};
}

}  // namespace hiillos::vm
