// testing/initsvc/initsvc_test.cc — /bin/initsvc_test, the guest test of init as a service
// manager (//testing/initsvc:initsvc_test_smp1, _smp4), started by init with Senders to timed,
// rngd and init's control endpoint. For each of timed and rngd: a client thread calls the
// service in a loop while the test asks init to kill it (init -> proc Kill); init must restart
// it (a new pid, one more restart), the client's call in flight must fail with Dead (timed: a
// long sleep is in flight for sure; rngd answers at once, so its client may or may not be
// caught mid-call: any failure must be Dead; the kill waits until timed reports the sleep held) and
// its calls must then succeed again on the same Sender; nothing may hang (the run would time out);
// each service must be ready before (init's Status) and its restarted instance say Ready again.
// Then the crasher service (exits 3, at most 2 restarts) must end up stopped after exactly 2
// restarts, the service that never says Ready stopped after its one restart, and the service
// that needs it never started. Prints "initsvc_test: N passed, N failed" and asks init to shut down
// with the number of failures as its exit code (root's).
#include "lib/startinfo/start_info.h"
#include "services/init/protocol.h"
#include "services/lib/print.h"
#include "services/lib/program.h"
#include "services/lib/syscalls.h"
#include "services/rngd/protocol.h"
#include "services/timed/protocol.h"
#include "testing/lib/check_log.h"
#include "testing/lib/init_control.h"

namespace {

using namespace hiillos;
namespace cp = init::protocol;
using testing_lib::KillService;
using testing_lib::QueryService;
using testing_lib::ServiceState;
using testing_lib::WaitRunning;
using testing_lib::WaitStopped;

constinit testing_lib::CheckLog g_checks("initsvc_test");

void Check(bool ok, const char* what) {
  g_checks.Check(ok, what);
}

// One call to the service: timed SleepFor(`sleep_ns`) or rngd Read(8). The IPC status.
uapi::Status CallOnce(uint32_t sender, bool timed, uint64_t sleep_ns) {
  uapi::IpcMessage request;
  request.words[0] = timed ? uint64_t{timed::kOpSleepFor} : uint64_t{rngd::kOpRead};
  request.words[1] = timed ? sleep_ns : 8;
  auto reply = rt::Call(sender, request);
  if (!reply.ok()) return reply.error();
  return reply.value().words[0] == 0 ? uapi::Status::kOk : uapi::Status::kInvalidArgument;
}

// How many sleep calls timed holds now (0 when the call fails).
uint64_t TimedSleepers(uint32_t sender) {
  uapi::IpcMessage request;
  request.words[0] = timed::kOpSleepers;
  auto reply = rt::Call(sender, request);
  if (!reply.ok() || reply.value().words[0] != timed::kOk) return 0;
  return reply.value().words[1];
}

// The client thread (a helper process sharing this address space): calls until a call fails,
// then until one succeeds again.
struct Client {
  uint32_t sender;  // the helper process's handle
  bool timed;
  volatile uint64_t calls = 0;        // calls made before the first failure
  volatile uint64_t first_error = 0;  // the first failure's status (0: none yet)
  volatile uint64_t after_error = 0;  // calls made after it
  volatile bool recovered = false;    // a call succeeded after the failure
  volatile bool stop = false;         // set by the test: stop when no failure came
};

constexpr size_t kStackBytes = 8192;
alignas(16) uint8_t g_stack[kStackBytes];
Client g_client;

[[noreturn]] void ClientEntry(Client* client) {
  while (!client->stop || client->first_error != 0) {
    // timed: one sleep long enough to be in flight when the service is killed (it is answered
    // early only by the kill); afterwards short sleeps.
    const uint64_t sleep_ns =
        client->first_error == 0 && client->calls == 0 ? 600'000'000'000ull : 1'000'000ull;
    const uapi::Status status = CallOnce(client->sender, client->timed, sleep_ns);
    if (client->first_error == 0) {
      if (status == uapi::Status::kOk) {
        client->calls = client->calls + 1;
        // Leave the CPU to the test thread now and then (on one CPU, client and service would
        // otherwise hand it back and forth until the time slice ends).
        (void)rt::Yield();
        continue;
      }
      client->first_error = static_cast<uint64_t>(status);
      continue;
    }
    client->after_error = client->after_error + 1;
    if (status == uapi::Status::kOk) {
      client->recovered = true;
      break;
    }
  }
  rt::ThreadExit(0);
}

// Starts the client thread on `sender`; returns its thread handle (0 on failure).
uint32_t StartClient(uint32_t memory, uint32_t vmem, uint32_t sender, bool timed,
                     uint32_t* process_out) {
  auto process = rt::MemoryAllocProcess(memory, vmem);
  if (!process.ok()) return 0;
  auto given = rt::ProcessGiveCap(process.value(), sender, uapi::Rights::kWrite);
  auto thread = rt::MemoryAllocThread(memory, process.value());
  if (!given.ok() || !thread.ok()) return 0;
  g_client.sender = given.value();
  g_client.timed = timed;
  g_client.calls = 0;
  g_client.first_error = 0;
  g_client.after_error = 0;
  g_client.recovered = false;
  g_client.stop = false;
  uapi::ThreadRegs regs{};
  regs.rip = reinterpret_cast<uint64_t>(&ClientEntry);
  regs.rsp = reinterpret_cast<uint64_t>(&g_stack[kStackBytes]) - 8;
  regs.rdi = reinterpret_cast<uint64_t>(&g_client);
  if (!rt::ThreadSetRegs(thread.value(), &regs).ok() || !rt::ThreadStart(thread.value()).ok()) {
    return 0;
  }
  *process_out = process.value();
  return thread.value();
}

void KillWhileCalled(uint32_t init, uint32_t memory, uint32_t vmem, uint32_t sender,
                     const char* name, bool timed) {
  rt::Printf("initsvc_test: --- %s ---", name);
  const ServiceState before = WaitRunning(init, name, 0);
  Check(before.ok && before.state == cp::kStateRunning, "the service runs");
  Check(before.ready, "the service said Ready (its dependant, this test, started after that)");
  Check(CallOnce(sender, timed, 0) == uapi::Status::kOk, "a call before the kill succeeds");
  uint32_t process = 0;
  const uint32_t thread = StartClient(memory, vmem, sender, timed, &process);
  Check(thread != 0, "the client thread started");
  if (thread == 0) return;
  if (timed) {
    // The kill must land while timed holds the client's long sleep: wait until timed reports a
    // sleeper (the client thread may not have run yet, and a sleep that reached the restarted
    // instance instead would only end after 600 s).
    while (g_client.first_error == 0 && TimedSleepers(sender) == 0) (void)rt::Yield();
  } else {
    while (g_client.calls < 10) (void)rt::Yield();
  }
  uint64_t killed_pid = 0;
  Check(KillService(init, name, &killed_pid) && killed_pid == before.pid,
        "init killed the service through proc");
  const ServiceState after = WaitRunning(init, name, before.pid);
  rt::Printf("initsvc_test: %s: pid %lu -> %lu, restarts %lu -> %lu", name, before.pid, after.pid,
             before.restarts, after.restarts);
  Check(after.ok && after.state == cp::kStateRunning && after.pid != before.pid,
        "init restarted it under a new pid");
  Check(after.restarts == before.restarts + 1, "the restart is counted");
  ServiceState ready = after;
  while (ready.ok && ready.pid == after.pid && !ready.ready) {
    (void)rt::Yield();
    ready = QueryService(init, name);
  }
  Check(ready.ok && ready.pid == after.pid && ready.ready, "the restarted instance said Ready");
  Check(CallOnce(sender, timed, 0) == uapi::Status::kOk,
        "a call on the same Sender succeeds after the restart");
  // The client must get a call through to the new instance: after its failure, or (no call was
  // caught in flight) one more success counted after the restart.
  const uint64_t calls_at_restart = g_client.calls;
  while (g_client.first_error == 0 && g_client.calls == calls_at_restart) (void)rt::Yield();
  g_client.stop = true;
  (void)rt::ThreadWait(thread);  // returns: the client's calls did not hang
  rt::Printf(
      "initsvc_test: %s client: %lu calls, then %s, then %lu calls (%s)", name, g_client.calls,
      g_client.first_error == 0 ? "no failure"
                                : uapi::StatusName(static_cast<uapi::Status>(g_client.first_error)),
      g_client.after_error, g_client.recovered ? "recovered" : "not recovered");
  if (timed) {
    Check(g_client.first_error == static_cast<uint64_t>(uapi::Status::kDead),
          "the call in flight failed with Dead");
  } else {
    Check(g_client.first_error == 0 ||
              g_client.first_error == static_cast<uint64_t>(uapi::Status::kDead),
          "a failed call (if any) failed with Dead");
  }
  Check(g_client.first_error == 0 ? g_client.calls > calls_at_restart : g_client.recovered,
        "the client's calls succeed again after the restart");
  (void)rt::CapDelete(thread);
  (void)rt::CapDelete(process);
}

}  // namespace

int ProgramMain(const startinfo::StartInfo& start) {
  const uint32_t init = rt::FindCap(start, "init");
  const uint32_t timed = rt::FindCap(start, "timed");
  const uint32_t rngd = rt::FindCap(start, "rngd");
  const uint32_t memory = rt::FindCap(start, "memory");
  const uint32_t vmem = rt::FindCap(start, "vmem");
  if (init == 0 || timed == 0 || rngd == 0 || memory == 0 || vmem == 0) {
    rt::Printf("initsvc_test: FAILED: started without init, timed, rngd, memory or vmem");
    return 1;
  }
  KillWhileCalled(init, memory, vmem, timed, "timed", true);
  KillWhileCalled(init, memory, vmem, rngd, "rngd", false);

  rt::Printf("initsvc_test: --- crasher ---");
  const ServiceState crasher = WaitStopped(init, "crasher");
  Check(crasher.ok && crasher.state == cp::kStateStopped && crasher.restarts == 2,
        "the crashing service stopped after 2 restarts");

  rt::Printf("initsvc_test: --- silent (never says Ready) ---");
  const ServiceState silent = WaitStopped(init, "silent");
  Check(silent.ok && silent.state == cp::kStateStopped && silent.restarts == 1 && !silent.ready,
        "the service that never said Ready was killed, restarted once and given up");
  const ServiceState after_silent = QueryService(init, "after-silent");
  Check(after_silent.ok && after_silent.state == cp::kStateDown && after_silent.pid == 0,
        "the service that needs it never started");

  testing_lib::ReportAndShutdown(init, g_checks);
  return g_checks.failed;
}
