// testing/conformance/ipc_endpoint.cc — the IPC cases' messages and endpoints (ipc_endpoint.h).
#include "testing/conformance/ipc_endpoint.h"

#include "services/lib/syscalls.h"

namespace hiillos::conformance {

uapi::IpcMessage Words(uint64_t w0, uint64_t w1, uint64_t w2, uint64_t w3, uint64_t w4,
                       uint64_t w5) {
  uapi::IpcMessage message;
  message.words[0] = w0;
  message.words[1] = w1;
  message.words[2] = w2;
  message.words[3] = w3;
  message.words[4] = w4;
  message.words[5] = w5;
  return message;
}

Endpoint MakeEndpoint(uint64_t badge) {
  Endpoint e;
  auto receiver = rt::MemoryAllocReceiver(kMemory);
  EXPECT_OK(receiver);
  if (!receiver.ok()) return e;
  e.receiver = receiver.value();
  auto sender = rt::ReceiverCreateSender(kMemory, e.receiver, badge);
  EXPECT_OK(sender);
  if (sender.ok()) e.sender = sender.value();
  auto reply = rt::MemoryAllocReply(kMemory);
  EXPECT_OK(reply);
  if (reply.ok()) e.reply = reply.value();
  return e;
}

void Delete(Handle& handle) {
  if (handle != 0) EXPECT_OK(rt::CapDelete(handle));
  handle = 0;
}

void DeleteEndpoint(Endpoint& e) {
  Delete(e.sender);
  Delete(e.reply);
  Delete(e.receiver);
}

}  // namespace hiillos::conformance
