// testing/bench/ipc_bench.cc — IPC round trips (Call + ReplyRecv) between two threads of this
// process, on one CPU, with the FPU in use by both, carrying one capability, and across two
// CPUs; and Notify signal → waiter running on another CPU. Measured as sel4bench does: the
// client reads the TSC right before Call, the server right after its receive returns (the call
// half); the server right before ReplyRecv, the client right after Call returns (the reply
// half); a round trip is the sum of the two halves.
#include "lib/base/atomic.h"
#include "services/lib/page_allocator.h"
#include "testing/bench/bench_cases.h"
#include "testing/bench/measure.h"
#include "testing/bench/threads.h"
#include "uapi/ipc.h"

namespace hiillos::bench {
namespace {

Samples g_samples;
Samples g_overhead;

struct Endpoint {
  rt::Handle receiver = 0;
  rt::Handle sender = 0;
  rt::Handle reply = 0;
};

// Stamps shared by client and server (written by one, read by the other after the IPC that
// orders them).
volatile uint64_t g_call_sent;      // client: right before Call
volatile uint64_t g_call_received;  // server: right after its receive returned
volatile uint64_t g_reply_sent;     // server: right before ReplyRecv
volatile bool g_use_fpu;
// Carry-a-capability variant: every Call copies g_carried (a Notify, read-only copy) to the
// server, which deletes its copy right after stamping; both threads have an IPC buffer.
volatile bool g_carry_cap;
rt::Handle g_carried;
uapi::IpcBuffer* g_client_buffer;
uapi::IpcBuffer* g_server_buffer;
volatile bool g_cap_lost;  // the server got a message without the capability
Endpoint g_endpoint;

constexpr uint64_t kStop = 1;

// Touches the x87/SSE state so the thread owns live FPU registers across the IPC.
inline void UseFpu(uint64_t value) {
  if (g_use_fpu)
    asm volatile("movq %0, %%xmm0\n\tpaddq %%xmm0, %%xmm1" ::"r"(value) : "xmm0", "xmm1");
}

void Server(uint64_t) {
  uapi::IpcMessage out;
  auto first = rt::Recv(g_endpoint.receiver, g_endpoint.reply, out);
  if (!first.ok()) return;
  uapi::IpcMessage in = first.value();
  for (;;) {
    g_call_received = ReadTsc();
    UseFpu(in.words[1]);
    if (in.words[0] == kStop) {
      (void)rt::Reply(g_endpoint.reply, out);
      return;
    }
    if (g_carry_cap) {
      if (uapi::IpcInfo::Caps(in.info) != 1 || !rt::CapDelete(g_server_buffer->caps[0].handle).ok())
        g_cap_lost = true;
    }
    g_reply_sent = ReadTsc();
    auto next = rt::ReplyRecv(g_endpoint.receiver, g_endpoint.reply, out);
    if (!next.ok()) return;
    in = next.value();
  }
}

bool MakeEndpoint() {
  auto receiver = rt::MemoryAllocReceiver(kMemory);
  if (!receiver.ok()) return false;
  g_endpoint.receiver = receiver.value();
  auto sender = rt::ReceiverCreateSender(kMemory, g_endpoint.receiver, 1);
  auto reply = rt::MemoryAllocReply(kMemory);
  g_endpoint.sender = sender.value_or(0);
  g_endpoint.reply = reply.value_or(0);
  return sender.ok() && reply.ok();
}

void DropEndpoint() {
  const rt::Handle handles[] = {g_endpoint.sender, g_endpoint.reply, g_endpoint.receiver};
  for (rt::Handle handle : handles) {
    if (handle != 0) (void)rt::CapDelete(handle);
  }
  g_endpoint = Endpoint{};
}

// IPC buffers and the carried Notify of the carry-a-capability variant; false on failure.
bool SetUpCarry() {
  auto notify = rt::MemoryAllocNotify(kMemory);
  auto client = rt::Pages().Allocate(0);
  auto server = rt::Pages().Allocate(0);
  g_carried = notify.value_or(0);
  g_client_buffer = static_cast<uapi::IpcBuffer*>(client.value_or(nullptr));
  g_server_buffer = static_cast<uapi::IpcBuffer*>(server.value_or(nullptr));
  return notify.ok() && client.ok() && server.ok() &&
         rt::ThreadSetIpcBuffer(kOwnThread, reinterpret_cast<uint64_t>(g_client_buffer)).ok();
}

void TearDownCarry() {
  (void)rt::ThreadSetIpcBuffer(kOwnThread, 0);
  if (g_carried != 0) (void)rt::CapDelete(g_carried);
  if (g_client_buffer != nullptr) (void)rt::Pages().Free(g_client_buffer);
  if (g_server_buffer != nullptr) (void)rt::Pages().Free(g_server_buffer);
  g_carried = 0;
  g_client_buffer = g_server_buffer = nullptr;
}

enum class Variant { kPlain, kFpu, kCarryCap };

// One row: round trips between this thread (client, CPU 0) and a server thread on
// `server_cpu`.
bool RoundTrips(const char* name, unsigned server_cpu, Variant variant) {
  g_samples.Clear();
  g_overhead.Clear();
  g_use_fpu = variant == Variant::kFpu;
  g_carry_cap = variant == Variant::kCarryCap;
  g_cap_lost = false;
  if (!rt::ThreadSetAffinity(kOwnThread, 1).ok() || !MakeEndpoint() ||
      (g_carry_cap && !SetUpCarry())) {
    DropEndpoint();
    TearDownCarry();
    ReportMissing(name, "cannot create the endpoint");
    return false;
  }
  auto server = SpawnThread(Server, 0, server_cpu);
  if (!server.ok()) {
    DropEndpoint();
    TearDownCarry();
    ReportMissing(name, "cannot start the server thread");
    return false;
  }
  // The server's buffer is in place before the first Call reaches it (it waits in Recv).
  bool ok = !g_carry_cap || rt::ThreadSetIpcBuffer(server.value().thread,
                                                   reinterpret_cast<uint64_t>(g_server_buffer))
                                .ok();
  uapi::IpcMessage message;
  if (g_carry_cap) message.info = uapi::IpcInfo::Make(0, 1);
  for (int pass = 0; pass < 2 && ok; ++pass) {
    for (int i = 0; i < kIterations; ++i) {
      message.words[1] = static_cast<uint64_t>(i);
      UseFpu(message.words[1]);
      if (g_carry_cap) {
        g_client_buffer->caps[0] =
            uapi::IpcCap{g_carried, uapi::kIpcCopy, uapi::Rights::kRead.bits, 0};
      }
      g_call_sent = ReadTsc();
      auto answer = rt::Call(g_endpoint.sender, message);
      uint64_t reply_received = ReadTsc();
      if (!answer.ok()) {
        ok = false;
        break;
      }
      if (pass == 1) {
        g_samples.Add((g_call_received - g_call_sent) + (reply_received - g_reply_sent));
        uint64_t a = ReadTsc();
        asm volatile("nop" ::: "memory");
        uint64_t b = ReadTsc();
        asm volatile("nop" ::: "memory");
        uint64_t c = ReadTsc();
        g_overhead.Add((b - a) + (c - b));
      }
    }
  }
  message.words[0] = kStop;
  message.info = 0;
  (void)rt::Call(g_endpoint.sender, message);
  JoinThread(server.value());
  DropEndpoint();
  TearDownCarry();
  if (!ok || g_cap_lost) {
    ReportMissing(name, ok ? "the server did not receive the capability" : "a Call failed");
    return false;
  }
  g_samples.Finish();
  g_overhead.Finish();
  Report(name, g_samples, &g_overhead);
  return true;
}

// Notify: the waiter on CPU 1 stamps right after NotifyWait returns.
rt::Handle g_notify;
volatile uint64_t g_woken_at;
volatile int g_wakes;

void Waiter(uint64_t rounds) {
  for (uint64_t i = 0; i < rounds; ++i) {
    auto bits = rt::NotifyWait(g_notify);
    g_woken_at = ReadTsc();
    g_wakes = g_wakes + 1;
    if (!bits.ok()) return;
  }
}

}  // namespace

bool IpcRoundTripSameCpu() {
  return RoundTrips("IPC round trip (Call + ReplyRecv), same address space, one CPU", 0,
                    Variant::kPlain);
}

bool IpcRoundTripFpu() {
  return RoundTrips("IPC round trip, same address space, FPU in use by both threads", 0,
                    Variant::kFpu);
}

bool IpcRoundTripCrossCpu() {
  auto info = rt::SystemInfo();
  if (!info.ok() || info.value().cpus_online < 2) {
    ReportMissing("IPC round trip across two CPUs", "only one CPU online");
    return true;
  }
  return RoundTrips("IPC round trip across two CPUs (client CPU 0, server CPU 1)", 1,
                    Variant::kPlain);
}

bool IpcRoundTripCarryCap() {
  return RoundTrips("IPC round trip carrying one capability (Notify copied client -> server)", 0,
                    Variant::kCarryCap);
}

bool NotifyWake() {
  const char* name = "Notify signal -> waiter running (waiter on another CPU)";
  auto info = rt::SystemInfo();
  if (!info.ok() || info.value().cpus_online < 2) {
    ReportMissing(name, "only one CPU online");
    return true;
  }
  auto notify = rt::MemoryAllocNotify(kMemory);
  if (!notify.ok() || !rt::ThreadSetAffinity(kOwnThread, 1).ok()) {
    ReportMissing(name, "cannot create the Notify");
    return false;
  }
  g_notify = notify.value();
  g_samples.Clear();
  g_overhead.Clear();
  g_wakes = 0;
  const int rounds = 2 * kIterations;
  auto waiter = SpawnThread(Waiter, rounds, 1);
  if (!waiter.ok()) {
    (void)rt::CapDelete(g_notify);
    ReportMissing(name, "cannot start the waiter");
    return false;
  }
  for (int i = 0; i < rounds; ++i) {
    // Wait until the waiter is asleep again: its thread state is not visible, so give it time
    // (a few yields of ours run on CPU 0 only) after it counted the last wake.
    while (g_wakes != i) (void)rt::Yield();
    for (int spin = 0; spin < 2000; ++spin) asm volatile("pause");
    uint64_t sent = ReadTsc();
    if (!rt::NotifySignal(g_notify, 1).ok()) break;
    while (g_wakes != i + 1) asm volatile("pause");
    if (i >= kIterations) {
      g_samples.Add(g_woken_at - sent);
      uint64_t a = ReadTsc();
      asm volatile("nop" ::: "memory");
      g_overhead.Add(ReadTsc() - a);
    }
  }
  JoinThread(waiter.value());
  (void)rt::CapDelete(g_notify);
  if (g_samples.count() == 0) {
    ReportMissing(name, "NotifySignal failed");
    return false;
  }
  g_samples.Finish();
  g_overhead.Finish();
  Report(name, g_samples, &g_overhead);
  return true;
}

}  // namespace hiillos::bench
