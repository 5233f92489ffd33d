// testing/lib/init_control.cc — QueryService, WaitRunning, WaitStopped, KillService,
// ReportAndShutdown over init's control protocol.
#include "testing/lib/init_control.h"

#include "services/init/protocol.h"
#include "services/lib/print.h"
#include "services/lib/syscalls.h"

namespace hiillos::testing_lib {

namespace cp = init::protocol;

ServiceState QueryService(uint32_t init, const char* name) {
  uapi::IpcMessage request;
  request.words[0] = cp::kOpStatus;
  ServiceState status;
  if (!cp::PackName(name, &request.words[1])) return status;
  auto reply = rt::Call(init, request);
  if (!reply.ok() || reply.value().words[0] != cp::kOk) return status;
  status.ok = true;
  status.pid = reply.value().words[1];
  status.restarts = reply.value().words[2];
  status.state = reply.value().words[3];
  status.ready = reply.value().words[4] == 1;
  return status;
}

ServiceState WaitRunning(uint32_t init, const char* name, uint64_t old_pid) {
  for (;;) {
    ServiceState status = QueryService(init, name);
    if (!status.ok || status.state == cp::kStateStopped) return status;
    if (status.state == cp::kStateRunning && status.pid != old_pid) return status;
    (void)rt::Yield();
  }
}

ServiceState WaitStopped(uint32_t init, const char* name) {
  ServiceState status;
  do {
    status = QueryService(init, name);
    (void)rt::Yield();
  } while (status.ok && status.state != cp::kStateStopped);
  return status;
}

bool KillService(uint32_t init, const char* name, uint64_t* killed_pid) {
  uapi::IpcMessage kill;
  kill.words[0] = cp::kOpKill;
  (void)cp::PackName(name, &kill.words[1]);
  auto killed = rt::Call(init, kill);
  if (!killed.ok()) return false;
  if (killed_pid != nullptr) *killed_pid = killed.value().words[1];
  return killed.value().words[0] == cp::kOk;
}

void ReportAndShutdown(uint32_t init, const CheckLog& checks) {
  checks.PrintSummary();
  uapi::IpcMessage shutdown;
  shutdown.words[0] = cp::kOpShutdown;
  shutdown.words[1] = static_cast<uint64_t>(checks.failed);
  (void)rt::Call(init, shutdown);
}

}  // namespace hiillos::testing_lib
