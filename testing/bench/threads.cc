// testing/bench/threads.cc — partner threads for benchmarks (threads.h).
#include "testing/bench/threads.h"

#include "services/lib/page_allocator.h"
#include "testing/bench/bench_cases.h"

namespace hiillos::bench {
namespace {

constexpr unsigned kStackOrder = 2;  // 16 KiB
constexpr uint64_t kStackBytes = 0x1000ull << kStackOrder;

extern "C" [[noreturn]] void BenchThreadStart(ThreadFunction fn, uint64_t arg) {
  fn(arg);
  rt::ThreadExit(0);
}

}  // namespace

Result<BenchThread, uapi::Status> SpawnThread(ThreadFunction fn, uint64_t arg, unsigned cpu) {
  BenchThread result;
  result.stack = TRY(rt::Pages().Allocate(kStackOrder));
  auto thread = rt::MemoryAllocThread(kMemory, kSelf);
  if (!thread.ok()) {
    JoinThread(result);
    return Err(thread.error());
  }
  result.thread = thread.value();
  uapi::ThreadRegs regs{};
  regs.rip = reinterpret_cast<uint64_t>(&BenchThreadStart);
  regs.rsp = reinterpret_cast<uint64_t>(result.stack) + kStackBytes - 8;  // as after a call
  regs.rdi = reinterpret_cast<uint64_t>(fn);
  regs.rsi = arg;
  regs.rflags = 0x202;
  auto set = rt::ThreadSetRegs(result.thread, &regs);
  if (set.ok()) set = rt::ThreadSetAffinity(result.thread, uint64_t{1} << cpu);
  if (set.ok()) set = rt::ThreadStart(result.thread);
  if (!set.ok()) {
    (void)rt::CapDelete(result.thread);
    result.thread = 0;
    JoinThread(result);
    return Err(set.error());
  }
  return result;
}

void JoinThread(BenchThread& thread) {
  if (thread.thread != 0) {
    (void)rt::ThreadWait(thread.thread);
    (void)rt::CapDelete(thread.thread);
    thread.thread = 0;
  }
  if (thread.stack != nullptr) (void)rt::Pages().Free(thread.stack);
  thread.stack = nullptr;
}

}  // namespace hiillos::bench
