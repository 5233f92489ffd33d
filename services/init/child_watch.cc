// services/init/child_watch.cc — the helper threads of ChildWatcher (a proc WaitReady and Wait
// each) and their slots.
#include "services/init/child_watch.h"

#include "services/lib/syscalls.h"
#include "services/proc/protocol.h"

namespace hiillos::init {
namespace {

constexpr size_t kStackBytes = 4096;

// What a helper thread needs, in the shared address space (its handles are the helper
// process's). Written before the thread starts, read only by it.
struct WatchArgs {
  uint32_t proc;
  uint32_t sender;
  uint64_t pid;
  uint64_t slot;
  bool ready_notice;
};

alignas(16) uint8_t g_stacks[kMaxChildWatches][kStackBytes];
WatchArgs g_args[kMaxChildWatches];

[[noreturn]] void WatchEntry(const WatchArgs* args) {
  if (args->ready_notice) {
    uapi::IpcMessage wait_ready;
    wait_ready.words[0] = proc::protocol::WaitReady::kCode;
    wait_ready.words[1] = args->pid;
    auto ready = rt::Call(args->proc, wait_ready);
    // w0 = status, w1 = pid, w2 = ready (WaitReady::Reply); not ready: it ended, Wait says how.
    if (ready.ok() && ready.value().words[0] == 0 && ready.value().words[2] == 1) {
      uapi::IpcMessage notice;
      notice.words[0] = kChildReady;
      notice.words[1] = args->pid;
      (void)rt::Call(args->sender, notice);
    }
  }
  uapi::IpcMessage wait;
  wait.words[0] = proc::protocol::Wait::kCode;
  wait.words[1] = args->pid;
  uapi::IpcMessage notice;
  notice.words[0] = kChildEnded;
  notice.words[1] = args->pid;
  auto ended = rt::Call(args->proc, wait);
  if (ended.ok() && ended.value().words[0] == 0) {
    notice.words[2] = ended.value().words[2];  // Wait::Reply::state
    notice.words[3] = ended.value().words[3];  // Wait::Reply::exit_code
  } else {
    notice.words[2] = kWaitFailed;
    notice.words[3] = ended.ok() ? ended.value().words[0] : static_cast<uint64_t>(ended.error());
  }
  notice.words[4] = args->slot;
  (void)rt::Call(args->sender, notice);
  rt::ThreadExit(0);  // the helper process dies with its capabilities
}

}  // namespace

void ChildWatcher::Reclaim(Slot& slot) {
  // The helper may still be between its Call and its exit: wait for it first.
  if (slot.thread != 0) {
    (void)rt::ThreadWait(slot.thread);
    (void)rt::CapDelete(slot.thread);
  }
  if (slot.process != 0) (void)rt::CapDelete(slot.process);
  slot = Slot{};
}

Result<void, uapi::Status> ChildWatcher::Watch(uint64_t pid, bool ready_notice) {
  size_t index = kMaxChildWatches;
  for (size_t i = 0; i < kMaxChildWatches && index == kMaxChildWatches; ++i) {
    if (slots_[i].state == State::kFree) index = i;
  }
  for (size_t i = 0; i < kMaxChildWatches && index == kMaxChildWatches; ++i) {
    if (slots_[i].state == State::kDone) {
      Reclaim(slots_[i]);
      index = i;
    }
  }
  if (index == kMaxChildWatches) return Err(uapi::Status::kNoSlots);
  Slot& slot = slots_[index];
  auto fail = [&](uapi::Status status) -> Result<void, uapi::Status> {
    if (slot.thread != 0) (void)rt::CapDelete(slot.thread);
    if (slot.process != 0) (void)rt::CapDelete(slot.process);
    slot = Slot{};
    return Err(status);
  };
  auto process = rt::MemoryAllocProcess(memory_, own_vmem_);
  if (!process.ok()) return fail(process.error());
  slot.process = process.value();
  auto proc = rt::ProcessGiveCap(slot.process, proc_, uapi::Rights::kWrite);
  if (!proc.ok()) return fail(proc.error());
  auto sender = rt::ProcessGiveCap(slot.process, sender_, uapi::Rights::kWrite);
  if (!sender.ok()) return fail(sender.error());
  auto helper = rt::MemoryAllocThread(memory_, slot.process);
  if (!helper.ok()) return fail(helper.error());
  slot.thread = helper.value();
  g_args[index] = WatchArgs{proc.value(), sender.value(), pid, index, ready_notice};
  uapi::ThreadRegs regs{};
  regs.rip = reinterpret_cast<uint64_t>(&WatchEntry);
  // As after a call instruction: rsp + 8 is 16-byte aligned.
  regs.rsp = reinterpret_cast<uint64_t>(&g_stacks[index][kStackBytes]) - 8;
  regs.rdi = reinterpret_cast<uint64_t>(&g_args[index]);
  if (auto set = rt::ThreadSetRegs(slot.thread, &regs); !set.ok()) return fail(set.error());
  if (auto started = rt::ThreadStart(slot.thread); !started.ok()) return fail(started.error());
  slot.state = State::kWatching;
  return Ok<uapi::Status>();
}

void ChildWatcher::Done(uint64_t slot) {
  if (slot < kMaxChildWatches && slots_[slot].state == State::kWatching) {
    slots_[slot].state = State::kDone;
  }
}

}  // namespace hiillos::init
