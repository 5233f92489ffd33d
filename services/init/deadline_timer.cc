// services/init/deadline_timer.cc — the helper thread of DeadlineTimer (NotifyWaitUntil, then a
// kTimerTick Call to init).
#include "services/init/deadline_timer.h"

#include "services/lib/syscalls.h"

namespace hiillos::init {
namespace {

constexpr size_t kStackBytes = 4096;

// Shared with the helper thread (same address space). Written by init's thread only, before it
// signals the Notify (or answers a tick); read by the helper.
volatile uint64_t g_deadline_tsc = kNoDeadline;
alignas(16) uint8_t g_stack[kStackBytes];

[[noreturn]] void TimerThread(uint64_t notify, uint64_t sender) {
  for (;;) {
    auto bits = rt::NotifyWaitUntil(static_cast<uint32_t>(notify), g_deadline_tsc);
    if (bits.ok() || bits.error() != uapi::Status::kTimedOut) continue;  // changed: wait again
    uapi::IpcMessage tick;
    tick.words[0] = kTimerTick;
    if (!rt::Call(static_cast<uint32_t>(sender), tick).ok()) break;  // init is gone
  }
  rt::ThreadExit(0);
}

extern "C" [[noreturn]] void InitTimerEntry(uint64_t notify, uint64_t sender) {
  TimerThread(notify, sender);
}

}  // namespace

Result<void, uapi::Status> DeadlineTimer::Start(uint32_t memory, uint32_t own_vmem,
                                                uint32_t notice_sender) {
  auto notify = rt::MemoryAllocNotify(memory);
  if (!notify.ok()) return Err(notify.error());
  notify_ = notify.value();
  auto process = rt::MemoryAllocProcess(memory, own_vmem);
  if (!process.ok()) return Err(process.error());
  process_ = process.value();
  auto their_notify = rt::ProcessGiveCap(process_, notify_, uapi::Rights::kRead);
  if (!their_notify.ok()) return Err(their_notify.error());
  auto their_sender = rt::ProcessGiveCap(process_, notice_sender, uapi::Rights::kWrite);
  if (!their_sender.ok()) return Err(their_sender.error());
  auto thread = rt::MemoryAllocThread(memory, process_);
  if (!thread.ok()) return Err(thread.error());
  thread_ = thread.value();
  uapi::ThreadRegs regs{};
  regs.rip = reinterpret_cast<uint64_t>(&InitTimerEntry);
  // As after a call instruction: rsp + 8 is 16-byte aligned.
  regs.rsp = reinterpret_cast<uint64_t>(&g_stack[kStackBytes]) - 8;
  regs.rdi = their_notify.value();
  regs.rsi = their_sender.value();
  if (auto set = rt::ThreadSetRegs(thread_, &regs); !set.ok()) return Err(set.error());
  if (auto started = rt::ThreadStart(thread_); !started.ok()) return Err(started.error());
  return Ok<uapi::Status>();
}

void DeadlineTimer::Set(uint64_t deadline_tsc) {
  if (g_deadline_tsc == deadline_tsc) return;
  g_deadline_tsc = deadline_tsc;
  if (notify_ != 0) (void)rt::NotifySignal(notify_, 1);
}

void DeadlineTimer::Stop() {
  if (thread_ == 0) return;
  // It may be waiting or in a tick Call init will not answer any more: kill it either way.
  (void)rt::ProcessKill(process_);
  (void)rt::ThreadWait(thread_);
  thread_ = 0;
}

}  // namespace hiillos::init
