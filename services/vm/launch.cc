// services/vm/launch.cc — starting /sbin/vm (launch.h).
#include "services/vm/launch.h"

#include "services/lib/syscalls.h"
#include "services/vm/protocol.h"
#include "uapi/rights.h"

namespace hiillos::vm {
namespace {

LaunchError SyscallFailure(uapi::Status status, const char* step) {
  return LaunchError{status, step, false, {}};
}

}  // namespace

Result<Launched, LaunchError> Launch(const LaunchRequest& request) {
  auto budget = rt::MemoryCreate(request.memory, request.budget_bytes);
  if (!budget.ok()) return Err(SyscallFailure(budget.error(), "creating the server's Memory"));
  auto receiver = rt::MemoryAllocReceiver(request.memory);
  if (!receiver.ok()) {
    (void)rt::CapDelete(budget.value());
    return Err(SyscallFailure(receiver.error(), "creating the Receiver"));
  }
  auto registrar =
      rt::ReceiverCreateSender(request.memory, receiver.value(), protocol::kAdminBadge);
  if (!registrar.ok()) {
    (void)rt::CapDelete(receiver.value());
    (void)rt::CapDelete(budget.value());
    return Err(SyscallFailure(registrar.error(), "creating the registration Sender"));
  }
  const char* const args[] = {"initfs:///sbin/vm"};
  rt::SpawnCap caps[3] = {
      {"memory", budget.value(), uapi::Rights::kAll},
      {"receiver", receiver.value(), uapi::Rights::kAll},
  };
  size_t cap_count = 2;
  if (request.log != 0) caps[cap_count++] = {"log", request.log, uapi::Rights::kWrite};
  rt::SpawnRequest spawn;
  spawn.memory = request.memory;
  spawn.own_vmem = request.own_vmem;
  spawn.image = request.image;
  spawn.image_size = request.image_size;
  spawn.args = args;
  spawn.arg_count = 1;
  spawn.caps = caps;
  spawn.cap_count = cap_count;
  spawn.pid = request.pid;
  spawn.give_process = true;
  auto spawned = rt::Spawn(spawn);
  // The server holds its own copies now (or nothing was made).
  (void)rt::CapDelete(receiver.value());
  (void)rt::CapDelete(budget.value());
  if (!spawned.ok()) {
    (void)rt::CapDelete(registrar.value());
    return Err(LaunchError{uapi::Status::kOk, "spawning", true, spawned.error()});
  }
  return Launched{spawned.value(), registrar.value()};
}

}  // namespace hiillos::vm
