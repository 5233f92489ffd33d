// testing/lib/test_server.cc — NewEndpoint, StartServer, DropSenders, StopAndWait.
#include "testing/lib/test_server.h"

#include "services/lib/print.h"
#include "services/lib/syscalls.h"
#include "uapi/initial_caps.h"

namespace hiillos::testing_lib {

constexpr uint32_t kMemory = uapi::kRootMemoryHandle;

uint32_t NewEndpoint(uint64_t badge, uint64_t client_badge, Server* out) {
  auto receiver = rt::MemoryAllocReceiver(kMemory);
  if (!receiver.ok()) return 0;
  auto sender = rt::ReceiverCreateSender(kMemory, receiver.value(), badge);
  if (!sender.ok()) {
    (void)rt::CapDelete(receiver.value());
    return 0;
  }
  out->sender = sender.value();
  if (client_badge != 0) {
    auto badged = rt::ReceiverCreateSender(kMemory, receiver.value(), client_badge);
    if (!badged.ok()) {
      DropSenders(*out);
      (void)rt::CapDelete(receiver.value());
      return 0;
    }
    out->badged = badged.value();
  }
  return receiver.value();
}

bool StartServer(const ServerStart& start, Server* out) {
  uint32_t receiver = start.receiver;
  auto release = [&] {
    if (!start.keep_receiver && receiver != 0) (void)rt::CapDelete(receiver);
  };
  auto program = start.archive->Lookup(start.path + 10);  // skip "initfs:///"
  if (!program.ok() || start.cap_count > kMaxExtraCaps) {
    rt::Printf("%s: no %s in initfs", start.test, start.path);
    release();
    return false;
  }
  if (receiver == 0) {
    receiver = NewEndpoint(start.badge, start.client_badge, out);
    if (receiver == 0) {
      rt::Printf("%s: no endpoint for %s", start.test, start.path);
      return false;
    }
  }
  rt::SpawnCap caps[3 + kMaxExtraCaps] = {
      {"endpoint", receiver, start.endpoint_rights},
      {"memory", kMemory, uapi::Rights::kAll},
      {"log", uapi::kRootLogHandle, start.log_rights},
  };
  for (size_t i = 0; i < start.cap_count; ++i) caps[3 + i] = start.caps[i];
  const char* const own_args[] = {start.path};
  rt::SpawnRequest request;
  request.memory = kMemory;
  request.own_vmem = uapi::kRootVmemHandle;
  request.image = program.value().data;
  request.image_size = program.value().size;
  request.args = start.args != nullptr ? start.args : own_args;
  request.arg_count = start.args != nullptr ? start.arg_count : 1;
  request.env = start.env;
  request.env_count = start.env_count;
  request.caps = caps;
  request.cap_count = 3 + start.cap_count;
  request.pid = start.pid;
  auto spawned = rt::Spawn(request);
  release();  // unless kept, the server holds the only Receiver now
  if (!spawned.ok()) {
    char why[128];
    rt::DescribeSpawnError(spawned.error(), why, sizeof(why));
    rt::Printf("%s: cannot start %s: %s", start.test, start.path, why);
    return false;
  }
  out->spawned = spawned.value();
  out->receiver = start.keep_receiver ? receiver : 0;
  out->running = true;
  return true;
}

void DropSenders(Server& server) {
  if (server.sender != 0) (void)rt::CapDelete(server.sender);
  if (server.badged != 0) (void)rt::CapDelete(server.badged);
  server.sender = 0;
  server.badged = 0;
}

bool StopAndWait(Server& server, const char* test, const char* name) {
  if (!server.running) return true;
  DropSenders(server);
  auto exit = rt::ThreadWait(server.spawned.thread);
  rt::Release(server.spawned);
  if (server.receiver != 0) (void)rt::CapDelete(server.receiver);
  server.receiver = 0;
  server.running = false;
  const bool clean =
      exit.ok() && exit.value().reason == uapi::ExitReason::kExited && exit.value().code == 0;
  rt::Printf("%s: %s %s", test, name, clean ? "exited with code 0" : "did not exit cleanly");
  return clean;
}

}  // namespace hiillos::testing_lib
