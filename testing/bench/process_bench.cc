// testing/bench/process_bench.cc — the rows that need a second process, the benchmark's child
// program (child_image.h): IPC round trip across address spaces (the server is the child, in
// its own Vmem, on the client's CPU) and process spawn + exit + wait.
#include "services/lib/loader.h"
#include "testing/bench/bench_cases.h"
#include "testing/bench/child/child_protocol.h"
#include "testing/bench/child_image.h"
#include "testing/bench/measure.h"
#include "uapi/ipc.h"

namespace hiillos::bench {
namespace {

namespace proto = child;

Samples g_samples;
Samples g_overhead;

// The overhead of a sample with a NOP where the operation was (two TSC reads around it).
uint64_t NopSample() {
  uint64_t a = ReadTsc();
  asm volatile("nop" ::: "memory");
  return ReadTsc() - a;
}

// Round trips against the child server: `sender` reaches it. The client reads the TSC right
// before Call and right after it returns; the server's two stamps come back in the reply.
bool MeasureRoundTrips(rt::Handle sender) {
  uapi::IpcMessage message;
  for (int pass = 0; pass < 2; ++pass) {
    for (int i = 0; i < kIterations; ++i) {
      message.words[0] = 0;
      message.words[1] = static_cast<uint64_t>(i);
      const uint64_t call_sent = ReadTsc();
      auto answer = rt::Call(sender, message);
      const uint64_t reply_received = ReadTsc();
      if (!answer.ok()) return false;
      if (pass == 0) continue;
      const uint64_t call_received = answer.value().words[proto::kReplyReceivedAt];
      const uint64_t reply_sent = answer.value().words[proto::kReplySentAt];
      g_samples.Add((call_received - call_sent) + (reply_received - reply_sent));
      g_overhead.Add(NopSample() + NopSample());
    }
  }
  return true;
}

}  // namespace

bool IpcRoundTripAcrossSpaces() {
  const char* name = "IPC round trip, across address spaces (server in a child process), one CPU";
  ChildImage image;
  if (!FindChildImage(&image)) {
    ReportMissing(name, "no child program in the initfs");
    return false;
  }
  if (!rt::ThreadSetAffinity(kOwnThread, 1).ok()) {
    ReportMissing(name, "cannot pin the main thread to CPU 0");
    return false;
  }
  auto receiver = rt::MemoryAllocReceiver(kMemory);
  if (!receiver.ok()) {
    ReportMissing(name, "cannot create the endpoint");
    return false;
  }
  auto sender = rt::ReceiverCreateSender(kMemory, receiver.value(), 1);
  if (!sender.ok()) {
    (void)rt::CapDelete(receiver.value());
    ReportMissing(name, "cannot create the sender");
    return false;
  }
  const rt::SpawnCap caps[] = {
      {proto::kCapReceiver, receiver.value(),
       uapi::Rights::kRead | uapi::Rights::kClone | uapi::Rights::kTransfer},
      {proto::kCapMemory, kMemory, uapi::Rights::kWrite},
  };
  auto spawned = SpawnChild(image, proto::kModeServer, caps, 2);
  bool ok = spawned.ok() && rt::ThreadSetAffinity(spawned.value().thread, 1).ok();
  g_samples.Clear();
  g_overhead.Clear();
  const char* why = spawned.ok() ? "a Call failed" : "cannot spawn the child server";
  if (ok) ok = MeasureRoundTrips(sender.value());
  if (spawned.ok()) {
    uapi::IpcMessage stop;
    stop.words[0] = proto::kStop;
    (void)rt::Call(sender.value(), stop);
    auto exit = rt::ThreadWait(spawned.value().thread);
    if (ok && (!exit.ok() || exit.value().reason != uapi::ExitReason::kExited ||
               exit.value().code != static_cast<uint64_t>(proto::kExitOk))) {
      ok = false;
      why = "the child server did not exit cleanly";
    }
    rt::Release(spawned.value());
  }
  (void)rt::CapDelete(sender.value());
  (void)rt::CapDelete(receiver.value());
  if (!ok) {
    ReportMissing(name, why);
    return false;
  }
  g_samples.Finish();
  g_overhead.Finish();
  Report(name, g_samples, &g_overhead);
  return true;
}

bool ProcessSpawnExitWait() {
  const char* name = "process spawn + exit + wait (rt::Spawn of the ELF in memory: no proc, no vm)";
  ChildImage image;
  if (!FindChildImage(&image)) {
    ReportMissing(name, "no child program in the initfs");
    return false;
  }
  g_samples.Clear();
  g_overhead.Clear();
  for (int pass = 0; pass < 2; ++pass) {
    const int rounds = pass == 0 ? kSpawnWarmUp : kSpawnIterations;
    for (int i = 0; i < rounds; ++i) {
      const uint64_t start = ReadTsc();
      auto spawned = SpawnChild(image, proto::kModeExit, nullptr, 0);
      if (!spawned.ok()) {
        ReportMissing(name, "Spawn failed");
        return false;
      }
      auto exit = rt::ThreadWait(spawned.value().thread);
      rt::Release(spawned.value());
      const uint64_t end = ReadTsc();
      if (!exit.ok() || exit.value().reason != uapi::ExitReason::kExited ||
          exit.value().code != static_cast<uint64_t>(proto::kExitOk)) {
        ReportMissing(name, "the child did not exit with code 0");
        return false;
      }
      if (pass == 1) {
        g_samples.Add(end - start);
        g_overhead.Add(NopSample());
      }
    }
  }
  g_samples.Finish();
  g_overhead.Finish();
  Report(name, g_samples, &g_overhead);
  Note("process spawn: the child's ELF (/%s in the initfs) is %zu bytes", kChildPath, image.size);
  return true;
}

}  // namespace hiillos::bench
