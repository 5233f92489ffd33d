// services/timed/main.cc — /sbin/timed: serves monotonic time, wall-clock time and sleeps
// (services/timed/protocol.h, docs/protocols/timed.md).
//
// Capabilities (by name): "endpoint" (the Receiver clients call), "memory" and "vmem" (what it
// runs on), "ioports" (optional: an IoPortRange holding CMOS ports 0x70-0x71; without it there
// is no wall clock), "log" (optional). Argument `century=N`: the FADT's RTC century register
// (default 0: none, years 70-99 are 19xx).
//
// Sleeps without busy waiting: a sleep call is not answered at once; its Reply object is kept
// (one per sleeper, from a pool) and the call is answered when the deadline passes. A second
// thread (a process sharing timed's address space) waits for the earliest deadline with
// NotifyWaitUntil and then Calls the endpoint with kTimerBadge; the server thread signals its
// Notify when a new sleeper's deadline is earlier than the one it waits for.
#include "lib/rtc/decode.h"
#include "lib/rtc/error.h"
#include "services/lib/heap_glue.h"
#include "services/lib/port_io.h"
#include "services/lib/print.h"
#include "services/lib/program.h"
#include "services/lib/syscalls.h"
#include "services/lib/tsc.h"
#include "services/proc/ready.h"
#include "services/timed/protocol.h"
#include "services/timed/sleepers.h"
#include "services/timed/tsc_clock.h"

namespace {

using namespace hiillos;
using timed::SleeperQueue;

constexpr uint16_t kCmosIndexPort = 0x70;
constexpr uint16_t kCmosDataPort = 0x71;
constexpr uint64_t kTimerStackBytes = 16 * 1024;

class PortCmos final : public rtc::CmosAccessor {
 public:
  uint8_t Read(uint8_t index) override {
    // Keep the NMI-disable bit (7) as it is.
    uint8_t nmi = rt::InByte(kCmosIndexPort) & 0x80;
    rt::OutByte(kCmosIndexPort, static_cast<uint8_t>(nmi | (index & 0x7f)));
    return rt::InByte(kCmosDataPort);
  }
};

// Shared with the timer thread (same address space): the TSC deadline it should wait for.
// Written by the server thread only, before it signals the Notify.
volatile uint64_t g_timer_deadline_tsc = ~uint64_t{0};

// The timer thread (its own process, sharing our Vmem): waits for the deadline, reports it.
[[noreturn]] void TimerThread(uint64_t notify, uint64_t sender) {
  for (;;) {
    uint64_t deadline = g_timer_deadline_tsc;
    auto bits = rt::NotifyWaitUntil(static_cast<uint32_t>(notify), deadline);
    if (bits.ok()) continue;  // the deadline changed: wait for the new one
    if (bits.error() != uapi::Status::kTimedOut) continue;  // interrupted: wait again
    uapi::IpcMessage message;
    message.words[0] = timed::kOpTimerExpired;
    auto answered = rt::Call(static_cast<uint32_t>(sender), message);
    if (!answered.ok()) rt::ThreadExit(1);  // timed is gone
  }
}

extern "C" [[noreturn]] void TimerThreadEntry(uint64_t notify, uint64_t sender) {
  TimerThread(notify, sender);
}

// Starts the timer thread; false (reported) on failure.
bool StartTimerThread(uint32_t memory, uint32_t vmem, uint32_t notify, uint32_t sender) {
  auto* stack = static_cast<uint8_t*>(malloc(kTimerStackBytes));
  if (stack == nullptr) return false;
  auto process = rt::MemoryAllocProcess(memory, vmem);
  if (!process.ok()) return false;
  auto their_notify = rt::ProcessGiveCap(process.value(), notify, uapi::Rights::kRead);
  auto their_sender = rt::ProcessGiveCap(process.value(), sender, uapi::Rights::kWrite);
  auto thread = rt::MemoryAllocThread(memory, process.value());
  if (!their_notify.ok() || !their_sender.ok() || !thread.ok()) return false;
  uapi::ThreadRegs regs{};
  regs.rip = reinterpret_cast<uint64_t>(&TimerThreadEntry);
  // 16-byte aligned minus 8: as right after a call instruction.
  regs.rsp = ((reinterpret_cast<uint64_t>(stack) + kTimerStackBytes) & ~uint64_t{15}) - 8;
  regs.rdi = their_notify.value();
  regs.rsi = their_sender.value();
  regs.rflags = 0x202;
  if (!rt::ThreadSetRegs(thread.value(), &regs).ok()) return false;
  if (!rt::ThreadStart(thread.value()).ok()) return false;
  // The process lives on through its running thread; we keep the handles (never deleted).
  return true;
}

uint64_t ParseNumber(const char* text) {
  uint64_t value = 0;
  int base = 10;
  if (text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
    base = 16;
    text += 2;
  }
  for (; *text != '\0'; ++text) {
    char c = *text;
    uint64_t digit;
    if (c >= '0' && c <= '9') {
      digit = static_cast<uint64_t>(c - '0');
    } else if (base == 16 && c >= 'a' && c <= 'f') {
      digit = static_cast<uint64_t>(c - 'a' + 10);
    } else if (base == 16 && c >= 'A' && c <= 'F') {
      digit = static_cast<uint64_t>(c - 'A' + 10);
    } else {
      return 0;
    }
    value = value * base + digit;
  }
  return value;
}

struct Server {
  uint32_t endpoint = 0;
  uint32_t notify = 0;
  timed::TscClock clock;
  bool have_wall = false;
  uint64_t wall_ns_at_read = 0;  // Unix ns of the RTC reading
  uint64_t mono_ns_at_read = 0;  // monotonic ns of the same moment
  SleeperQueue sleepers;
  uint32_t free_replies[timed::kMaxSleepers + 1] = {};
  size_t free_count = 0;

  uint64_t Now() const { return clock.NsAt(rt::ReadTsc()); }

  // Answers every sleeper whose deadline passed, earliest first; re-arms the timer thread.
  void WakeDue() {
    timed::Sleeper due;
    uint64_t now = Now();
    while (sleepers.PopDue(now, &due)) {
      uapi::IpcMessage reply;
      reply.words[0] = timed::kOk;
      reply.words[1] = now;
      (void)rt::Reply(due.reply, reply);  // Dead: the sleeper was killed; the slot is free again
      free_replies[free_count++] = due.reply;
      now = Now();
    }
    Arm();
  }

  void Arm() {
    uint64_t deadline = sleepers.empty() ? ~uint64_t{0} : clock.TscAt(sleepers.earliest());
    if (deadline != g_timer_deadline_tsc) {
      g_timer_deadline_tsc = deadline;
      (void)rt::NotifySignal(notify, 1);
    }
  }

  // Handles one request; true if it was answered with `reply` (else the slot keeps the call).
  bool Handle(const uapi::IpcMessage& request, uapi::IpcMessage* reply, uint32_t slot) {
    *reply = uapi::IpcMessage{};
    const uint64_t op = request.words[0];
    if (request.badge == timed::kTimerBadge && op == timed::kOpTimerExpired) {
      WakeDue();
      reply->words[0] = timed::kOk;
      return true;
    }
    switch (op) {
      case timed::kOpMonotonic:
        reply->words[0] = timed::kOk;
        reply->words[1] = Now();
        return true;
      case timed::kOpWallClock: {
        if (!have_wall) {
          reply->words[0] = timed::kNoWallClock;
          return true;
        }
        uint64_t now = Now();
        reply->words[0] = timed::kOk;
        reply->words[1] = wall_ns_at_read + (now - mono_ns_at_read);
        reply->words[2] = now;
        return true;
      }
      case timed::kOpSleepers:
        reply->words[0] = timed::kOk;
        reply->words[1] = sleepers.size();
        return true;
      case timed::kOpSleepUntil:
      case timed::kOpSleepFor: {
        uint64_t now = Now();
        uint64_t deadline = request.words[1];
        if (op == timed::kOpSleepFor) {
          deadline = now + deadline < now ? ~uint64_t{0} : now + deadline;
        }
        if (deadline <= now) {
          reply->words[0] = timed::kOk;
          reply->words[1] = now;
          return true;
        }
        if ((request.info & uapi::IpcInfo::kReplyExpected) == 0) return true;  // a Send: drop
        if (sleepers.full() || free_count == 0) {
          reply->words[0] = timed::kTooManySleepers;
          return true;
        }
        sleepers.Insert(deadline, slot);
        Arm();
        return false;
      }
    }
    reply->words[0] = timed::kUnknownOp;
    return true;
  }

  // A receive's outcome (Result is not assignable).
  struct Received {
    bool ok = false;
    uapi::Status error = uapi::Status::kOk;
    uapi::IpcMessage message;
  };
  static Received From(const rt::SysOr<uapi::IpcMessage>& result) {
    Received out;
    out.ok = result.ok();
    if (result.ok()) {
      out.message = result.value();
    } else {
      out.error = result.error();
    }
    return out;
  }

  [[noreturn]] void Run() {
    uint32_t slot = free_replies[--free_count];
    Received received = From(rt::Recv(endpoint, slot, uapi::IpcMessage{}));
    for (;;) {
      if (!received.ok) {
        rt::Printf("timed: receive failed: %s", uapi::StatusName(received.error));
        rt::ThreadExit(1);
      }
      uapi::IpcMessage reply;
      if (Handle(received.message, &reply, slot)) {
        if ((received.message.info & uapi::IpcInfo::kReplyExpected) != 0) {
          received = From(rt::ReplyRecv(endpoint, slot, reply));
          // Dead (the caller died before the reply): nothing was received; receive anew.
          if (!received.ok && received.error == uapi::Status::kDead) {
            received = From(rt::Recv(endpoint, slot, uapi::IpcMessage{}));
          }
        } else {
          received = From(rt::Recv(endpoint, slot, uapi::IpcMessage{}));
        }
      } else {
        slot = free_replies[--free_count];  // the old slot holds the sleeper's call
        received = From(rt::Recv(endpoint, slot, uapi::IpcMessage{}));
      }
    }
  }
};

Server g_server;

}  // namespace

int ProgramMain(const startinfo::StartInfo& start) {
  Server& server = g_server;
  const uint32_t memory = rt::FindCap(start, "memory");
  const uint32_t vmem = rt::FindCap(start, "vmem");
  server.endpoint = rt::FindCap(start, "endpoint");
  const uint32_t ioports = rt::FindCap(start, "ioports");
  if (memory == 0 || vmem == 0 || server.endpoint == 0) {
    rt::Printf("timed: needs memory, vmem and endpoint capabilities");
    return 1;
  }
  uint8_t century_register = 0;
  for (uint64_t i = 1; i < start.arg_count(); ++i) {
    const char* arg = rt::Arg(start, i);
    static constexpr char kCentury[] = "century=";
    size_t n = 0;
    while (n < sizeof(kCentury) - 1 && arg[n] == kCentury[n]) ++n;
    if (n == sizeof(kCentury) - 1) century_register = static_cast<uint8_t>(ParseNumber(arg + n));
  }
  auto clock = rt::SystemClock();
  if (!clock.ok() || clock.value().tsc_hz == 0) {
    rt::Printf("timed: no clock from the kernel");
    return 1;
  }
  server.clock = timed::TscClock(clock.value().tsc_hz, clock.value().tsc, clock.value().ns);

  // The wall clock: the RTC read once, then advanced by the monotonic clock.
  if (ioports == 0) {
    rt::Printf("timed: no ioports capability: no wall clock");
  } else if (auto enabled = rt::IoPortRangeEnable(ioports, memory); !enabled.ok()) {
    rt::Printf("timed: IoPortRangeEnable: %s: no wall clock", uapi::StatusName(enabled.error()));
  } else {
    PortCmos cmos;
    auto unix_seconds = rtc::ReadUnixTime(cmos, century_register);
    if (!unix_seconds.ok() || unix_seconds.value() < 0) {
      rt::Printf("timed: RTC: %s: no wall clock",
                 unix_seconds.ok() ? "before 1970" : rtc::ErrorName(unix_seconds.error()));
    } else {
      server.mono_ns_at_read = server.Now();
      server.wall_ns_at_read = static_cast<uint64_t>(unix_seconds.value()) * 1'000'000'000ull;
      server.have_wall = true;
    }
  }

  auto notify = rt::MemoryAllocNotify(memory);
  auto timer_sender = rt::ReceiverCreateSender(memory, server.endpoint, timed::kTimerBadge);
  if (!notify.ok() || !timer_sender.ok()) {
    rt::Printf("timed: cannot allocate its notify and sender");
    return 1;
  }
  server.notify = notify.value();
  for (uint64_t i = 0; i < timed::kMaxSleepers + 1; ++i) {
    auto reply = rt::MemoryAllocReply(memory);
    if (!reply.ok()) {
      rt::Printf("timed: cannot allocate reply objects: %s", uapi::StatusName(reply.error()));
      return 1;
    }
    server.free_replies[server.free_count++] = reply.value();
  }
  if (!StartTimerThread(memory, vmem, notify.value(), timer_sender.value())) {
    rt::Printf("timed: cannot start its timer thread");
    return 1;
  }
  if (server.have_wall) {
    rt::Printf("timed: ready: tsc %lu Hz, wall clock %lu s (Unix) at %lu ns", server.clock.tsc_hz(),
               server.wall_ns_at_read / uint64_t{1'000'000'000}, server.mono_ns_at_read);
  } else {
    rt::Printf("timed: ready: tsc %lu Hz, no wall clock", server.clock.tsc_hz());
  }
  (void)proc::SignalReady(rt::FindCap(start, "proc"));
  server.Run();
}
