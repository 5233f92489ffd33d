// testing/programs/proc_test.cc — /bin/proc_test: drives the proc server through its "proc"
// Sender: spawns /bin/exit_with with a code and /bin/spin, lists both, kills spin, waits for
// both (killed; the code), and checks the refusals (no such program, a second wait). Prints
// "proc_test: N passed, M failed" and exits with 0 only when nothing failed (system guest test).
#include "services/lib/ipc/channel.h"
#include "services/lib/print.h"
#include "services/lib/process_layout.h"
#include "services/lib/program.h"
#include "services/lib/syscalls.h"
#include "services/proc/process_table.h"
#include "services/proc/protocol.h"
#include "testing/lib/check_log.h"

namespace {

using namespace hiillos;
namespace pp = proc::protocol;

constinit testing_lib::CheckLog g_checks("proc_test", testing_lib::CheckLog::Print::kFailures);

void Check(bool ok, const char* what) {
  g_checks.Check(ok, what);
}

// Spawns args[0] with `count` arguments, and `cap` (when not 0) copied with Write|Clone|Transfer
// under the name `cap_name`.
Result<pp::Spawn::Reply, uint64_t> Spawn(uint32_t proc, const char* const* args, size_t count,
                                         const char* cap_name = nullptr, uint32_t cap = 0) {
  pp::Spawn::Request request{};
  const char* strings[4];
  size_t string_count = 0;
  for (size_t i = 0; i < count && string_count < 3; ++i) strings[string_count++] = args[i];
  request.arg_count = string_count;
  uapi::IpcCap caps[1] = {};
  if (cap != 0) {
    strings[string_count++] = cap_name;
    caps[0] = uapi::IpcCap{
        cap, uapi::kIpcCopy,
        (uapi::Rights::kWrite | uapi::Rights::kClone | uapi::Rights::kTransfer).bits, 0};
    request.cap_count = 1;
  }
  if (!pp::PackStrings(request.strings, sizeof(request.strings), strings, string_count)) {
    return Err(uint64_t{0});
  }
  return ipc::Call<pp::Spawn>(proc, request, caps, request.cap_count);
}

// True when List shows `pid` (and prints its line).
bool Listed(uint32_t proc, uint64_t pid) {
  bool found = false;
  for (uint64_t index = 0;; ++index) {
    auto entry = ipc::Call<pp::List>(proc, pp::List::Request{index});
    if (!entry.ok()) break;
    if (entry.value().pid == pid) {
      found = true;
      rt::Printf("proc_test: list: pid %lu parent %lu %s state %lu memory %lu bytes",
                 entry.value().pid, entry.value().parent, entry.value().name, entry.value().state,
                 entry.value().memory_bytes);
    }
  }
  return found;
}

}  // namespace

int ProgramMain(const startinfo::StartInfo& start) {
  ipc::SetBuffer(reinterpret_cast<uapi::IpcBuffer*>(rt::kIpcBufferAddress));
  const uint32_t proc = rt::FindCap(start, "proc");
  if (proc == 0) {
    rt::Printf("proc_test: no proc capability");
    return 1;
  }
  const char* const exit_args[] = {"initfs:///bin/exit_with", "42", "from-proc_test"};
  auto exiter = Spawn(proc, exit_args, 3);
  Check(exiter.ok(), "spawn /bin/exit_with");
  // spin signals `started` once it runs, so the kill below ends a looping program, not one that
  // never ran.
  auto started = rt::MemoryAllocNotify(rt::FindCap(start, "memory"));
  Check(started.ok(), "a Notify for spin");
  const char* const spin_args[] = {"/bin/spin"};
  auto spinner = Spawn(proc, spin_args, 1, "started", started.ok() ? started.value() : 0);
  Check(spinner.ok(), "spawn /bin/spin");
  if (spinner.ok() && started.ok()) Check(rt::NotifyWait(started.value()).ok(), "spin runs");
  if (!exiter.ok() || !spinner.ok()) {
    g_checks.PrintSummary();
    return 1;
  }
  const uint64_t exit_pid = exiter.value().pid;
  const uint64_t spin_pid = spinner.value().pid;
  rt::Printf("proc_test: spawned exit_with as pid %lu, spin as pid %lu", exit_pid, spin_pid);
  Check(Listed(proc, exit_pid), "list shows exit_with");
  Check(Listed(proc, spin_pid), "list shows spin");

  Check(ipc::Call<pp::Kill>(proc, pp::Kill::Request{spin_pid}).ok(), "kill spin");
  auto spin_end = ipc::Call<pp::Wait>(proc, pp::Wait::Request{spin_pid});
  Check(spin_end.ok() && spin_end.value().state == pp::kKilled, "spin was killed");
  if (spin_end.ok())
    rt::Printf("proc_test: pid %lu ended: state %lu", spin_pid, spin_end.value().state);

  auto exit_end = ipc::Call<pp::Wait>(proc, pp::Wait::Request{exit_pid});
  Check(exit_end.ok() && exit_end.value().state == pp::kExited && exit_end.value().exit_code == 42,
        "exit_with exited with 42");
  if (exit_end.ok()) {
    rt::Printf("proc_test: pid %lu exited with code %ld", exit_pid, exit_end.value().exit_code);
  }

  // Refusals: a program that is not in initfs; waiting twice; killing what is not a child.
  const char* const absent_args[] = {"initfs:///bin/absent"};
  auto absent = Spawn(proc, absent_args, 1);
  Check(!absent.ok() && absent.error() == pp::kNotInInitfs, "absent program refused");
  auto again = ipc::Call<pp::Wait>(proc, pp::Wait::Request{exit_pid});
  Check(!again.ok() &&
            again.error() == pp::StatusOf(static_cast<uint8_t>(proc::ProcError::kNoSuchPid)),
        "second wait refused");
  auto kill_init = ipc::Call<pp::Kill>(proc, pp::Kill::Request{1});
  Check(!kill_init.ok(), "killing init refused");
  Check(!Listed(proc, spin_pid) && !Listed(proc, exit_pid), "waited processes leave the list");
  g_checks.PrintSummary();
  return g_checks.failed == 0 ? 0 : 1;
}
