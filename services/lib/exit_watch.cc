// services/lib/exit_watch.cc — the helper threads of ExitWatcher and their slots.
#include "services/lib/exit_watch.h"

#include "services/lib/syscalls.h"

namespace hiillos::rt {
namespace {

constexpr size_t kStackBytes = 4096;

// What a helper thread needs, in the shared address space (its handles are the helper
// process's). Written before the thread starts, read only by it.
struct WatchArgs {
  uint32_t thread;  // the watched thread, or the lease Sender
  bool lease;
  uint32_t sender;
  uint64_t cookie;
  uint64_t slot;
};

alignas(16) uint8_t g_stacks[kMaxWatches][kStackBytes];
WatchArgs g_args[kMaxWatches];

[[noreturn]] void WatchEntry(const WatchArgs* args) {
  uapi::IpcMessage notice;
  notice.words[0] = ExitNotice::kCode;
  notice.words[1] = args->cookie;
  if (args->lease) {
    // Waits until the lease's Receiver is closed (Dead), or its holder answers.
    auto ended = Call(args->thread, uapi::IpcMessage{});
    notice.words[3] = ended.ok() ? 0 : static_cast<uint64_t>(ended.error());
    notice.words[5] = args->slot;
    (void)CapDelete(args->thread);  // before the notice, as below
    (void)Call(args->sender, notice);
    ThreadExit(0);
  }
  auto exit = ThreadWait(args->thread);
  if (exit.ok()) {
    notice.words[2] = static_cast<uint64_t>(exit.value().reason);
    notice.words[3] = exit.value().code;
    notice.words[4] = exit.value().fault_addr;
  } else {
    notice.words[3] = static_cast<uint64_t>(exit.error());
  }
  notice.words[5] = args->slot;
  // Drop the watched thread before the notice: it may be the last reference to the thread and
  // through it to its process and address space, whose memory must be back with its payer by
  // the time the server acts on the notice (vm_test_smp4 saw a killed child's page tables still
  // charged after vm had released its space: this helper had not exited yet).
  (void)CapDelete(args->thread);
  (void)Call(args->sender, notice);
  ThreadExit(0);  // the helper process dies with its capabilities
}

}  // namespace

void ExitWatcher::Reclaim(Slot& slot) {
  // The helper may still be between its Call and its exit: wait for it first.
  if (slot.thread != 0) {
    (void)ThreadWait(slot.thread);
    (void)CapDelete(slot.thread);
  }
  if (slot.process != 0) (void)CapDelete(slot.process);
  slot = Slot{};
}

Result<void, uapi::Status> ExitWatcher::Watch(uint32_t thread, uint64_t cookie) {
  auto started = Start(thread, uapi::Rights::kRead, /*lease=*/false, cookie);
  if (!started.ok()) return Err(started.error());
  return Ok<uapi::Status>();
}

Result<uint64_t, uapi::Status> ExitWatcher::WatchLease(uint32_t sender, uint64_t cookie) {
  return Start(sender, uapi::Rights::kWrite, /*lease=*/true, cookie);
}

void ExitWatcher::Cancel(uint64_t slot) {
  if (slot >= kMaxWatches || slots_[slot].state == State::kFree) return;
  // Killing the helper interrupts its wait; it never sends its notice (or sent it already and
  // the server dropped it: a notice whose slot is no longer kWatching is ignored by Done).
  if (slots_[slot].process != 0) (void)ProcessKill(slots_[slot].process);
  Reclaim(slots_[slot]);
}

Result<uint64_t, uapi::Status> ExitWatcher::Start(uint32_t thread, uapi::Rights rights, bool lease,
                                                  uint64_t cookie) {
  // A slot whose notice was handled first: its helper has exited or is about to, and reusing
  // it keeps the helpers alive (and charged to `memory`) no more than the watches running.
  size_t index = kMaxWatches;
  for (size_t i = 0; i < kMaxWatches && index == kMaxWatches; ++i) {
    if (slots_[i].state == State::kDone) {
      Reclaim(slots_[i]);
      index = i;
    }
  }
  for (size_t i = 0; i < kMaxWatches && index == kMaxWatches; ++i) {
    if (slots_[i].state == State::kFree) index = i;
  }
  if (index == kMaxWatches) return Err(uapi::Status::kNoSlots);
  Slot& slot = slots_[index];
  auto fail = [&](uapi::Status status) -> Result<uint64_t, uapi::Status> {
    if (slot.thread != 0) (void)CapDelete(slot.thread);
    if (slot.process != 0) (void)CapDelete(slot.process);
    slot = Slot{};
    return Err(status);
  };
  auto process = MemoryAllocProcess(memory_, own_vmem_);
  if (!process.ok()) return fail(process.error());
  slot.process = process.value();
  auto watched = ProcessGiveCap(slot.process, thread, rights);
  if (!watched.ok()) return fail(watched.error());
  uint32_t notice_sender = sender_;
  if (receiver_ != 0) {
    auto minted = ReceiverCreateSender(memory_, receiver_, kExitNoticeBadge);
    if (!minted.ok()) return fail(minted.error());
    notice_sender = minted.value();
  }
  auto sender = ProcessGiveCap(slot.process, notice_sender, uapi::Rights::kWrite);
  if (receiver_ != 0) (void)CapDelete(notice_sender);  // the helper holds the only one
  if (!sender.ok()) return fail(sender.error());
  auto helper = MemoryAllocThread(memory_, slot.process);
  if (!helper.ok()) return fail(helper.error());
  slot.thread = helper.value();
  g_args[index] = WatchArgs{watched.value(), lease, sender.value(), cookie, index};
  uapi::ThreadRegs regs{};
  regs.rip = reinterpret_cast<uint64_t>(&WatchEntry);
  // As after a call instruction: rsp + 8 is 16-byte aligned.
  regs.rsp = reinterpret_cast<uint64_t>(&g_stacks[index][kStackBytes]) - 8;
  regs.rdi = reinterpret_cast<uint64_t>(&g_args[index]);
  if (auto set = ThreadSetRegs(slot.thread, &regs); !set.ok()) return fail(set.error());
  if (auto started = ThreadStart(slot.thread); !started.ok()) return fail(started.error());
  slot.state = State::kWatching;
  return index;
}

void ExitWatcher::Done(uint64_t slot) {
  if (slot < kMaxWatches && slots_[slot].state == State::kWatching) {
    slots_[slot].state = State::kDone;
  }
}

}  // namespace hiillos::rt
