// testing/bench/pairs_bench.cc — IPC round trips per pair with 1, 2 and 4 client/server pairs
// running at once on 4 CPUs. Pair i's client and server threads are both pinned to CPU i, so
// the pairs share no CPU and each round trip is a same-CPU one; what the pairs can still share
// is the kernel (locks, cache lines). A sample is measured as in ipc_bench.cc (sel4bench's
// method); the row pools every pair's samples and reports their median and minimum.
#include "lib/base/atomic.h"
#include "lib/format/format.h"
#include "testing/bench/bench_cases.h"
#include "testing/bench/measure.h"
#include "testing/bench/threads.h"
#include "uapi/ipc.h"

namespace hiillos::bench {
namespace {

constexpr unsigned kMaxPairs = 4;
constexpr uint64_t kStop = 1;

// One pair's endpoint and stamps, on cache lines of their own.
struct alignas(64) Pair {
  rt::Handle receiver = 0;
  rt::Handle sender = 0;
  rt::Handle reply = 0;
  volatile uint64_t call_received = 0;  // server: right after its receive returned
  volatile uint64_t reply_sent = 0;     // server: right before ReplyRecv
  bool ok = false;                      // client: every Call succeeded
  Samples* samples = nullptr;
  Samples* overhead = nullptr;
};

Pair g_pairs[kMaxPairs];
Samples g_pair_samples[kMaxPairs];
Samples g_pair_overhead[kMaxPairs];
Samples g_samples;
Samples g_overhead;
volatile bool g_go = false;

void Server(uint64_t index) {
  Pair& pair = g_pairs[index];
  uapi::IpcMessage out;
  auto first = rt::Recv(pair.receiver, pair.reply, out);
  if (!first.ok()) return;
  uapi::IpcMessage in = first.value();
  for (;;) {
    pair.call_received = ReadTsc();
    if (in.words[0] == kStop) {
      (void)rt::Reply(pair.reply, out);
      return;
    }
    pair.reply_sent = ReadTsc();
    auto next = rt::ReplyRecv(pair.receiver, pair.reply, out);
    if (!next.ok()) return;
    in = next.value();
  }
}

void Client(uint64_t index) {
  Pair& pair = g_pairs[index];
  while (!g_go) (void)rt::Yield();
  uapi::IpcMessage message;
  pair.ok = true;
  for (int pass = 0; pass < 2 && pair.ok; ++pass) {
    for (int i = 0; i < kIterations; ++i) {
      message.words[0] = 0;
      message.words[1] = static_cast<uint64_t>(i);
      const uint64_t call_sent = ReadTsc();
      auto answer = rt::Call(pair.sender, message);
      const uint64_t reply_received = ReadTsc();
      if (!answer.ok()) {
        pair.ok = false;
        break;
      }
      if (pass == 1) {
        pair.samples->Add((pair.call_received - call_sent) + (reply_received - pair.reply_sent));
        uint64_t a = ReadTsc();
        asm volatile("nop" ::: "memory");
        uint64_t b = ReadTsc();
        asm volatile("nop" ::: "memory");
        uint64_t c = ReadTsc();
        pair.overhead->Add((b - a) + (c - b));
      }
    }
  }
  message.words[0] = kStop;
  (void)rt::Call(pair.sender, message);
}

bool MakeEndpoint(Pair& pair) {
  auto receiver = rt::MemoryAllocReceiver(kMemory);
  if (!receiver.ok()) return false;
  pair.receiver = receiver.value();
  auto sender = rt::ReceiverCreateSender(kMemory, pair.receiver, 1);
  auto reply = rt::MemoryAllocReply(kMemory);
  pair.sender = sender.value_or(0);
  pair.reply = reply.value_or(0);
  return sender.ok() && reply.ok();
}

void DropEndpoint(Pair& pair) {
  const rt::Handle handles[] = {pair.sender, pair.reply, pair.receiver};
  for (rt::Handle handle : handles) {
    if (handle != 0) (void)rt::CapDelete(handle);
  }
  pair.receiver = pair.sender = pair.reply = 0;
}

bool ConcurrentPairs(unsigned pairs, const char* name) {
  auto info = rt::SystemInfo();
  if (!info.ok() || info.value().cpus_online < kMaxPairs) {
    ReportMissing(name, "fewer than 4 CPUs online");
    return true;
  }
  g_go = false;
  BenchThread servers[kMaxPairs];
  BenchThread clients[kMaxPairs];
  bool ok = true;
  for (unsigned i = 0; i < pairs && ok; ++i) {
    g_pair_samples[i].Clear();
    g_pair_overhead[i].Clear();
    g_pairs[i].samples = &g_pair_samples[i];
    g_pairs[i].overhead = &g_pair_overhead[i];
    g_pairs[i].ok = false;
    ok = MakeEndpoint(g_pairs[i]);
    if (ok) {
      auto server = SpawnThread(Server, i, i);
      ok = server.ok();
      if (ok) servers[i] = server.value();
    }
    if (ok) {
      auto client = SpawnThread(Client, i, i);
      ok = client.ok();
      if (ok) clients[i] = client.value();
    }
  }
  if (!ok) {
    // Unblock whoever started: servers waiting in Recv end when their Receiver goes away.
    g_go = true;
    for (unsigned i = 0; i < pairs; ++i) JoinThread(clients[i]);
    for (unsigned i = 0; i < pairs; ++i) DropEndpoint(g_pairs[i]);
    for (unsigned i = 0; i < pairs; ++i) JoinThread(servers[i]);
    ReportMissing(name, "cannot start the pairs");
    return false;
  }
  g_go = true;
  for (unsigned i = 0; i < pairs; ++i) {
    JoinThread(clients[i]);
    JoinThread(servers[i]);
    DropEndpoint(g_pairs[i]);
  }
  g_samples.Clear();
  g_overhead.Clear();
  for (unsigned i = 0; i < pairs; ++i) {
    if (!g_pairs[i].ok) {
      ReportMissing(name, "a Call failed");
      return false;
    }
    for (size_t s = 0; s < g_pair_samples[i].count(); ++s) {
      g_samples.Add(g_pair_samples[i].At(s));
      g_overhead.Add(g_pair_overhead[i].At(s));
    }
  }
  g_samples.Finish();
  g_overhead.Finish();
  Report(name, g_samples, &g_overhead);
  // Each pair's own median (instructions, the pooled overhead subtracted), slowest pair visible.
  char medians[96];
  size_t used = 0;
  const uint64_t cost = g_overhead.Median();
  for (unsigned i = 0; i < pairs && used < sizeof(medians); ++i) {
    g_pair_samples[i].Finish();
    const uint64_t median =
        g_pair_samples[i].Median() > cost ? g_pair_samples[i].Median() - cost : 0;
    used += format::FormatToBuffer(medians + used, sizeof(medians) - used, "%s%lu.%02lu",
                                   i == 0 ? "" : ", ", median / 128, median % 128 * 100 / 128);
  }
  Note("%u pair(s): median of each pair: %s instructions", pairs, medians);
  return true;
}

}  // namespace

bool IpcConcurrentPairs() {
  bool ok = ConcurrentPairs(1, "IPC round trip per pair, 1 pair running (pair i on CPU i)");
  ok = ConcurrentPairs(2, "IPC round trip per pair, 2 pairs running at once (CPUs 0-1)") && ok;
  ok = ConcurrentPairs(4, "IPC round trip per pair, 4 pairs running at once (CPUs 0-3)") && ok;
  return ok;
}

}  // namespace hiillos::bench
