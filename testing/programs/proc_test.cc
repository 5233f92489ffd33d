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

namespace {

using namespace hiillos;
namespace pp = proc::protocol;

int g_passed = 0;
int g_failed = 0;

void Check(bool ok, const char* what) {
  if (ok) {
    ++g_passed;
  } else {
    ++g_failed;
    rt::Printf("proc_test: FAILED: %s", what);
  }
}

// Spawns args[0..count) with capability `ready` (if not 0) under that name.
Result<pp::Spawn::Reply, uint64_t> Spawn(uint32_t proc, const char* const* args, size_t count,
                                         uint32_t ready = 0) {
  pp::Spawn::Request request{};
  request.arg_count = count;
  const char* strings[4] = {};
  for (size_t i = 0; i < count && i < 3; ++i) strings[i] = args[i];
  if (ready != 0) strings[count] = "ready";
  request.cap_count = ready != 0 ? 1 : 0;
  if (count > 3 || !pp::PackStrings(request.strings, sizeof(request.strings), strings,
                                    count + request.cap_count)) {
    return Err(uint64_t{0});
  }
  const uapi::IpcCap caps[] = {
      ipc::CopyCap(ready, uapi::Rights::kWrite | uapi::Rights::kClone | uapi::Rights::kTransfer)};
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
  // spin Calls "ready" once it runs: the kill below then finds it looping, not unstarted.
  const uint32_t memory = rt::FindCap(start, "memory");
  auto ready = rt::MemoryAllocReceiver(memory);
  uint32_t ready_sender = 0;
  if (ready.ok()) {
    if (auto sender = rt::ReceiverCreateSender(memory, ready.value(), 1); sender.ok()) {
      ready_sender = sender.value();
    }
  }
  auto ready_reply = rt::MemoryAllocReply(memory);
  Check(ready_sender != 0 && ready_reply.ok(), "make spin's ready endpoint");
  const char* const spin_args[] = {"/bin/spin"};
  auto spinner = Spawn(proc, spin_args, 1, ready_sender);
  Check(spinner.ok(), "spawn /bin/spin");
  if (spinner.ok() && ready_sender != 0 && ready_reply.ok()) {
    Check(rt::Recv(ready.value(), ready_reply.value(), uapi::IpcMessage{}).ok(), "spin runs");
    (void)rt::Reply(ready_reply.value(), uapi::IpcMessage{});
  }
  if (!exiter.ok() || !spinner.ok()) {
    rt::Printf("proc_test: %d passed, %d failed", g_passed, g_failed);
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
  rt::Printf("proc_test: %d passed, %d failed", g_passed, g_failed);
  return g_failed == 0 ? 0 : 1;
}
