// testing/bench/threads.cc — partner threads for benchmarks (threads.h).
#include "testing/bench/threads.h"

#include "services/lib/page_allocator.h"
#include "testing/bench/bench_cases.h"
#include "testing/lib/thread_start.h"

namespace hiillos::bench {
namespace {

constexpr unsigned kStackOrder = 2;  // 16 KiB
constexpr uint64_t kStackBytes = 0x1000ull << kStackOrder;

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
  const uapi::ThreadRegs regs = testing_lib::ThreadStartRegs(fn, arg, result.stack, kStackBytes);
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
