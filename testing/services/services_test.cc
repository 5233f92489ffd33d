// testing/services/services_test.cc — the guest test of timed and rngd, run as the root process
// (//testing/services:services_test_smp1, _smp4). It unpacks its initfs, starts /sbin/timed
// (with CMOS ports 0x70-0x71) and /sbin/rngd itself, each on a fresh endpoint, and checks over
// IPC: monotonic time increases; the wall clock is the date QEMU's -rtc base= sets (plus the
// minutes a run takes); a 10 ms sleep returns at or after its deadline (no upper bound); two
// concurrent sleepers are answered in deadline order; rngd is seeded (RDRAND under -cpu max)
// and returns different, non-zero bytes, and rejects bad lengths. Prints "services_test: N
// passed, N failed" and exits with the number of failures. (The refusal before seeding is
// tested on the host: //services/rngd:service_test.)
#include "lib/base/atomic.h"
#include "services/lib/page_allocator.h"
#include "services/lib/print.h"
#include "services/lib/process_layout.h"
#include "services/lib/start.h"
#include "services/lib/syscalls.h"
#include "services/rngd/protocol.h"
#include "services/timed/protocol.h"
#include "testing/lib/check_log.h"
#include "testing/lib/root_setup.h"
#include "testing/lib/test_server.h"
#include "uapi/boot_info.h"
#include "uapi/initial_caps.h"

namespace {

using namespace hiillos;

constexpr uint32_t kMemory = uapi::kRootMemoryHandle;
constexpr uint32_t kVmem = uapi::kRootVmemHandle;
constexpr uint64_t kMs = 1'000'000;
// QEMU's -rtc base= of the test (testing/services/BUILD.bazel): 2025-03-04T05:06:07Z.
constexpr uint64_t kRtcBaseUnix = 1741064767;

constinit testing_lib::CheckLog g_checks("services_test");

void Check(bool ok, const char* what) {
  g_checks.Check(ok, what);
}

// Starts `url` ("initfs:///sbin/timed") with a new endpoint as "endpoint" plus `extra`;
// returns a Sender (badge 1) to that endpoint, 0 on failure (reported).
uint32_t StartService(const ustar::Archive& archive, const char* url, const rt::SpawnCap* extra,
                      size_t extra_count, uint64_t pid) {
  testing_lib::ServerStart start;
  start.test = "services_test";
  start.archive = &archive;
  start.path = url;
  start.caps = extra;
  start.cap_count = extra_count;
  start.pid = pid;
  start.badge = 1;
  // The service runs on; the endpoint's receiver now lives in its table (ours is dropped).
  testing_lib::Server server;
  return testing_lib::StartServer(start, &server) ? server.sender : 0;
}

// One Call: w0 = op, w1 = arg. Returns false on an IPC error.
bool CallService(uint32_t sender, uint64_t op, uint64_t arg, uapi::IpcMessage* reply) {
  uapi::IpcMessage message;
  message.words[0] = op;
  message.words[1] = arg;
  auto answered = rt::Call(sender, message);
  if (!answered.ok()) {
    rt::Printf("services_test: call %lu: %s", op, uapi::StatusName(answered.error()));
    return false;
  }
  *reply = answered.value();
  return true;
}

uint64_t Monotonic(uint32_t timed) {
  uapi::IpcMessage reply;
  if (!CallService(timed, timed::kOpMonotonic, 0, &reply) || reply.words[0] != timed::kOk) return 0;
  return reply.words[1];
}

// --- two concurrent sleepers (threads in processes sharing our address space) ---

struct Sleeper {
  uint32_t sender = 0;  // in the sleeper's own capability table
  uint64_t deadline = 0;
  uint64_t status = ~uint64_t{0};
  uint64_t answered_at = 0;  // timed's clock when it replied
};
Sleeper g_sleepers[2];

extern "C" [[noreturn]] void SleeperEntry(uint64_t index) {
  Sleeper& s = g_sleepers[index];
  uapi::IpcMessage message;
  message.words[0] = timed::kOpSleepUntil;
  message.words[1] = s.deadline;
  auto answered = rt::Call(s.sender, message);
  if (answered.ok()) {
    s.status = answered.value().words[0];
    s.answered_at = answered.value().words[1];
  }
  rt::ThreadExit(0);
}

struct SleeperThread {
  uint32_t process = 0;
  uint32_t thread = 0;
};

bool StartSleeper(uint32_t timed_sender, uint64_t index, SleeperThread* out) {
  auto stack = rt::Pages().Allocate(2);  // 16 KiB
  if (!stack.ok()) return false;
  auto process = rt::MemoryAllocProcess(kMemory, kVmem);
  if (!process.ok()) return false;
  auto sender = rt::ProcessGiveCap(process.value(), timed_sender, uapi::Rights::kWrite);
  auto thread = rt::MemoryAllocThread(kMemory, process.value());
  if (!sender.ok() || !thread.ok()) return false;
  g_sleepers[index].sender = sender.value();
  uapi::ThreadRegs regs{};
  regs.rip = reinterpret_cast<uint64_t>(&SleeperEntry);
  regs.rsp = reinterpret_cast<uint64_t>(stack.value()) + 4 * 4096 - 8;
  regs.rdi = index;
  regs.rflags = 0x202;
  if (!rt::ThreadSetRegs(thread.value(), &regs).ok()) return false;
  if (!rt::ThreadStart(thread.value()).ok()) return false;
  *out = SleeperThread{process.value(), thread.value()};
  return true;
}

void TestTimed(uint32_t timed) {
  // Monotonic time increases.
  const uint64_t t0 = Monotonic(timed);
  for (int i = 0; i < 50; ++i) (void)rt::Yield();
  const uint64_t t1 = Monotonic(timed);
  Check(t0 > 0 && t1 > t0, "monotonic time increases");
  auto kernel = rt::SystemInfo();
  const uint64_t t2 = Monotonic(timed);
  Check(kernel.ok() && t2 >= kernel.value().uptime_ns,
        "timed's monotonic time is the kernel's clock (not behind SystemInfo's uptime)");

  // The wall clock: the RTC date QEMU was given, advanced by the time the run took.
  uapi::IpcMessage wall;
  bool got = CallService(timed, timed::kOpWallClock, 0, &wall) && wall.words[0] == timed::kOk;
  const uint64_t unix_seconds = got ? wall.words[1] / 1'000'000'000ull : 0;
  rt::Printf("services_test: wall clock %lu s (Unix), QEMU RTC base %lu s", unix_seconds,
             kRtcBaseUnix);
  Check(got && unix_seconds >= kRtcBaseUnix && unix_seconds < kRtcBaseUnix + 24 * 3600,
        "the wall clock is the RTC's date (2025-03-04, from -rtc base=)");
  uapi::IpcMessage wall2;
  got = CallService(timed, timed::kOpWallClock, 0, &wall2) && wall2.words[0] == timed::kOk;
  Check(got && wall2.words[1] > wall.words[1], "the wall clock advances");

  // A 10 ms sleep returns after its deadline.
  const uint64_t before = Monotonic(timed);
  uapi::IpcMessage slept;
  got = CallService(timed, timed::kOpSleepFor, 10 * kMs, &slept) && slept.words[0] == timed::kOk;
  const uint64_t after = Monotonic(timed);
  rt::Printf("services_test: 10 ms sleep: answered %lu ns after the request", after - before);
  Check(got && slept.words[1] >= before + 10 * kMs && after >= before + 10 * kMs,
        "a 10 ms sleep returns after its deadline");
  // A deadline in the past is answered at once.
  got = CallService(timed, timed::kOpSleepUntil, 1, &slept) && slept.words[0] == timed::kOk;
  Check(got && slept.words[1] >= 1, "a sleep until a passed deadline returns at once");
  got = CallService(timed, 99, 0, &slept);
  Check(got && slept.words[0] == timed::kUnknownOp, "an unknown operation is refused");

  // Two concurrent sleepers: the later deadline calls first, the earlier one is answered first.
  const uint64_t now = Monotonic(timed);
  g_sleepers[0].deadline = now + 80 * kMs;
  g_sleepers[1].deadline = now + 40 * kMs;
  SleeperThread threads[2];
  bool started = StartSleeper(timed, 0, &threads[0]);
  for (int i = 0; i < 20; ++i) (void)rt::Yield();  // most likely asleep in timed by now
  started = started && StartSleeper(timed, 1, &threads[1]);
  Check(started, "two sleeper threads started");
  if (!started) return;
  for (SleeperThread& t : threads) (void)rt::ThreadWait(t.thread);
  for (int i = 0; i < 2; ++i) {
    rt::Printf("services_test: sleeper %d: deadline %lu, answered at %lu, status %lu", i,
               g_sleepers[i].deadline, g_sleepers[i].answered_at, g_sleepers[i].status);
  }
  Check(g_sleepers[0].status == timed::kOk && g_sleepers[1].status == timed::kOk,
        "both sleepers were answered");
  Check(g_sleepers[0].answered_at >= g_sleepers[0].deadline &&
            g_sleepers[1].answered_at >= g_sleepers[1].deadline,
        "each sleeper was answered at or after its deadline");
  Check(g_sleepers[1].answered_at <= g_sleepers[0].answered_at,
        "concurrent sleepers are answered in deadline order");
  for (SleeperThread& t : threads) {
    (void)rt::CapDelete(t.thread);
    (void)rt::CapDelete(t.process);
  }
}

void TestRngd(uint32_t rngd) {
  uapi::IpcMessage status;
  bool got = CallService(rngd, rngd::kOpStatus, 0, &status) && status.words[0] == rngd::kOk;
  rt::Printf("services_test: rngd seeded %lu, reseeds %lu, sources %#lx", status.words[1],
             status.words[2], status.words[3]);
  Check(got && status.words[1] == 1, "rngd is seeded (RDRAND under -cpu max)");
  uapi::IpcMessage a, b;
  bool read_a = CallService(rngd, rngd::kOpRead, 40, &a) && a.words[0] == rngd::kOk;
  bool read_b = CallService(rngd, rngd::kOpRead, 40, &b) && b.words[0] == rngd::kOk;
  Check(read_a && read_b, "rngd serves 40-byte reads");
  bool nonzero = true;
  bool differ = false;
  for (int i = 1; i <= 5; ++i) {
    if (a.words[i] == 0 || b.words[i] == 0) nonzero = false;
    if (a.words[i] != b.words[i]) differ = true;
  }
  Check(nonzero, "random words are non-zero");
  Check(differ, "two reads differ");
  uapi::IpcMessage small;
  got = CallService(rngd, rngd::kOpRead, 3, &small) && small.words[0] == rngd::kOk;
  Check(got && (small.words[1] >> 24) == 0 && small.words[2] == 0,
        "a 3-byte read fills 3 bytes only");
  uapi::IpcMessage bad;
  got = CallService(rngd, rngd::kOpRead, 0, &bad);
  Check(got && bad.words[0] == rngd::kBadLength, "a 0-byte read is refused (BadLength)");
  got = CallService(rngd, rngd::kOpRead, rngd::kMaxReadBytes + 1, &bad);
  Check(got && bad.words[0] == rngd::kBadLength, "a 41-byte read is refused (BadLength)");
}

}  // namespace

int UserMain(uint64_t boot_info, uint64_t) {
  const auto& info = *reinterpret_cast<const uapi::BootInfo*>(boot_info);
  auto initfs = testing_lib::StartRootTest(info, "services_test");
  if (!initfs.ok()) return 1;
  const ustar::Archive& archive = initfs.value().archive;
  // CMOS index and data ports for timed's RTC reading.
  auto cmos = rt::IoPortRangeSplit(uapi::kRootIoPortHandle, kMemory, 0x70, 2);
  if (!cmos.ok()) {
    rt::Printf("services_test: IoPortRangeSplit: %s", uapi::StatusName(cmos.error()));
    return 1;
  }
  const rt::SpawnCap timed_caps[] = {
      {"ioports", cmos.value(), uapi::Rights::kRead | uapi::Rights::kWrite}};
  const uint32_t timed = StartService(archive, "initfs:///sbin/timed", timed_caps, 1, 2);
  const uint32_t rngd = StartService(archive, "initfs:///sbin/rngd", nullptr, 0, 3);
  Check(timed != 0, "started /sbin/timed");
  Check(rngd != 0, "started /sbin/rngd");
  if (timed != 0) TestTimed(timed);
  if (rngd != 0) TestRngd(rngd);
  g_checks.PrintSummary();
  return g_checks.failed;
}
