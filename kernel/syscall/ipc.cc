// kernel/syscall/ipc.cc — the IPC calls: creating endpoints, senders and reply slots, the IPC
// buffer, and Call, Send, Recv, Reply and ReplyRecv. Each reads its message from the registers
// (uapi/ipc.h) and the caller's IPC buffer, runs the endpoint step (kernel/ipc) under IpcLock,
// transfers the message's capabilities in the same lock hold (all or nothing), wakes whoever
// the step made ready, and sleeps when the step says so.
#include "kernel/arch/trap_frame.h"
#include "kernel/cap/kernel_table.h"
#include "kernel/ipc/endpoint.h"
#include "kernel/ipc/thread_ipc.h"
#include "kernel/object/ipc_objects.h"
#include "kernel/object/thread.h"
#include "kernel/syscall/caller.h"
#include "kernel/syscall/ipc_common.h"
#include "kernel/syscall/syscall_table.h"
#include "kernel/user/layout.h"
#include "kernel/user/user_copy.h"

namespace hiillos::syscall {
namespace {

using ipc::ExtendedPart;
using ipc::ThreadIpc;
using object::EndpointCore;
using object::Memory;
using object::Receiver;
using object::Ref;
using object::Reply;
using object::Sender;
using uapi::IpcInfo;
using uapi::Status;

constexpr uint64_t kBufferWords = __builtin_offsetof(uapi::IpcBuffer, words);
constexpr uint64_t kBufferCaps = __builtin_offsetof(uapi::IpcBuffer, caps);

// The calling thread's IPC state, with its process id recorded (the receiving side of a
// transfer reads it).
ThreadIpc& Self() {
  object::Thread* thread = object::CurrentThread();
  ASSERT(thread != nullptr, "IPC call outside a user thread");
  ThreadIpc& self = thread->ipc();
  self.cap_owner = &Caller().cap_owner();
  return self;
}

arch::InterruptFrame& FrameOf(ThreadIpc& self) {
  ASSERT(self.syscall_frame != nullptr, "IPC call without its syscall frame");
  return *static_cast<arch::InterruptFrame*>(self.syscall_frame);
}

// Decode: the outgoing message from the registers, its extended part from the IPC buffer into
// self.ext. Errors: kInvalidArgument (info word, capability mode or rights), kBadAddress (no
// buffer, or it cannot be read).
KResult<ipc::RegisterMessage> ReadOutgoing(ThreadIpc& self) {
  arch::InterruptFrame& frame = FrameOf(self);
  const uint64_t info = frame.rdx;
  if (!IpcInfo::Valid(info)) return Err(Status::kInvalidArgument);
  static_assert(ipc::kRegisterWords == 6, "the register words are r10, r8, r9, r12, r13, r14");
  const ipc::RegisterMessage message{
      {frame.r10, frame.r8, frame.r9, frame.r12, frame.r13, frame.r14}};
  ExtendedPart& ext = self.ext;
  ext.word_count = static_cast<uint32_t>(IpcInfo::Words(info));
  ext.cap_count = static_cast<uint32_t>(IpcInfo::Caps(info));
  if (ext.word_count == 0 && ext.cap_count == 0) return message;
  const uint64_t buffer = self.buffer.Load(MemoryOrder::kRelaxed);
  if (buffer == 0) return Err(Status::kBadAddress);
  TRY(user::CopyFromUser(ext.words, buffer + kBufferWords, ext.word_count * sizeof(uint64_t)));
  TRY(user::CopyFromUser(ext.caps, buffer + kBufferCaps, ext.cap_count * sizeof(uapi::IpcCap)));
  for (uint32_t i = 0; i < ext.cap_count; ++i) {
    const uapi::IpcCap& cap = ext.caps[i];
    if (cap.mode != uapi::kIpcMove && cap.mode != uapi::kIpcCopy) {
      return Err(Status::kInvalidArgument);
    }
    if (cap.mode == uapi::kIpcCopy && !uapi::Rights{cap.rights}.IsValid()) {
      return Err(Status::kInvalidArgument);
    }
  }
  return message;
}

// Copies made by a transfer that then failed: deleted once IpcLock is released (the delete may
// drop the object's last reference if the sender deleted its own meanwhile, and destroying an
// object may take IpcLock). Declare it before the lock guard.
class PendingDeletes {
 public:
  PendingDeletes() = default;
  PendingDeletes(const PendingDeletes&) = delete;
  PendingDeletes& operator=(const PendingDeletes&) = delete;
  ~PendingDeletes() {
    for (uint32_t i = 0; i < count_; ++i) (void)cap::KernelTable().Delete(*owner_, handles_[i]);
  }
  void Add(object::CapOwner& owner, cap::Handle handle) {
    owner_ = &owner;
    handles_[count_++] = handle;
  }

 private:
  object::CapOwner* owner_ = nullptr;
  uint32_t count_ = 0;
  cap::Handle handles_[uapi::kIpcMaxCaps] = {};
};

// Undoes the first `done` transfers of `ext` (newest first): a move goes back to its slot's old
// owner, a copy is deleted later. (A move the receiver's own threads already deleted — they
// would have had to guess the handle within this lock hold — cannot come back.)
void UndoTransfers(ExtendedPart& ext, uint32_t done, object::CapOwner& from, object::CapOwner& to,
                   PendingDeletes& later) {
  cap::CapabilityTable& table = cap::KernelTable();
  while (done > 0) {
    const uapi::IpcCap& cap = ext.caps[--done];
    if (cap.mode == uapi::kIpcMove) {
      (void)table.Transfer(to, cap.handle, from, cap::TransferMode::kMove);
    } else {
      later.Add(to, cap.handle);
    }
  }
}

// Transfers ext's capabilities from process `from` to process `to`, all or nothing, and
// rewrites each entry to what the receiver got (its handle and rights). Runs under IpcLock, so
// the message cannot change hands meanwhile. Errors: kInvalidCapability, kMissingRights,
// kNoSlots, kOutOfMemory (then nothing changed).
KResult<void> TransferCaps(ExtendedPart& ext, void* from_owner, void* to_owner,
                           PendingDeletes& later) {
  auto& from = *static_cast<object::CapOwner*>(from_owner);
  auto& to = *static_cast<object::CapOwner*>(to_owner);
  cap::CapabilityTable& table = cap::KernelTable();
  // Keep the sender's handles to restore them if a later one fails.
  uapi::IpcCap sent[uapi::kIpcMaxCaps];
  for (uint32_t i = 0; i < ext.cap_count; ++i) sent[i] = ext.caps[i];
  for (uint32_t i = 0; i < ext.cap_count; ++i) {
    uapi::IpcCap& cap = ext.caps[i];
    // What the receiver will hold: a move keeps the rights (read before, as the receiver's
    // other threads may already delete the capability once it is theirs), a copy has `rights`.
    uapi::Rights rights{cap.rights};
    if (cap.mode == uapi::kIpcMove) {
      auto info = table.Identify(from, cap.handle);
      if (info.ok()) rights = info.value().rights;
    }
    auto moved = cap.mode == uapi::kIpcMove
                     ? table.Transfer(from, cap.handle, to, cap::TransferMode::kMove)
                     : table.Grant(from, cap.handle, to, uapi::Rights{cap.rights});
    if (!moved.ok()) {
      UndoTransfers(ext, i, from, to, later);
      for (uint32_t j = 0; j < ext.cap_count; ++j) ext.caps[j] = sent[j];
      return Err(moved.error());
    }
    cap.handle = moved.value();
    cap.rights = rights.bits;
  }
  return {};
}

}  // namespace

// After a message arrived in `self` (participant and ext): its extended part into the IPC
// buffer, badge and words into the registers; returns the info word. Errors: kBadAddress (the
// buffer cannot be written: the registers still carry the message, and a call stays bound to
// the reply slot).
KResult<uint64_t> FinishReceive(ThreadIpc& self) {
  arch::InterruptFrame& frame = FrameOf(self);
  frame.rsi = self.badge;
  const uint64_t* words = self.message.words;  // in the order ReadOutgoing reads them
  frame.r10 = words[0];
  frame.r8 = words[1];
  frame.r9 = words[2];
  frame.r12 = words[3];
  frame.r13 = words[4];
  frame.r14 = words[5];
  const ExtendedPart& ext = self.ext;
  uint64_t info = IpcInfo::Make(ext.word_count, ext.cap_count);
  if (self.reply_expected) info |= IpcInfo::kReplyExpected;
  if (ext.word_count == 0 && ext.cap_count == 0) return info;
  const uint64_t buffer = self.buffer.Load(MemoryOrder::kRelaxed);
  if (buffer == 0) return Err(Status::kBadAddress);
  TRY(user::CopyToUser(buffer + kBufferWords, ext.words, ext.word_count * sizeof(uint64_t)));
  TRY(user::CopyToUser(buffer + kBufferCaps, ext.caps, ext.cap_count * sizeof(uapi::IpcCap)));
  return info;
}

// Frees the calling thread's receive into `reply` once it has returned from its sleep.
void EndReceiving(Reply& reply) {
  IrqSpinLockGuard guard(ipc::IpcLock());
  reply.receiving = false;
}

namespace {

void WakeIfAny(ipc::Participant* p) {
  if (p != nullptr) ThreadIpc::Of(*p).Wake();
}

// A thread a step made ready, woken when this goes out of scope unless a direct switch to it
// (ThreadIpc::WakeAndBlock) took it first.
class PendingWake {
 public:
  explicit PendingWake(ipc::Participant* p)
      : thread_(p != nullptr ? &ThreadIpc::Of(*p) : nullptr) {}
  PendingWake(const PendingWake&) = delete;
  PendingWake& operator=(const PendingWake&) = delete;
  ~PendingWake() {
    if (thread_ != nullptr) thread_->Wake();
  }
  // Sleeps like self.Block(), handing the CPU to the pending thread if there is one.
  void BlockHandingOff(ThreadIpc& self) {
    if (thread_ == nullptr) return self.Block();
    ThreadIpc* next = thread_;
    thread_ = nullptr;
    self.WakeAndBlock(*next);
  }

 private:
  ThreadIpc* thread_;
};

// The receive half of Recv and ReplyRecv on `core` into `reply`. `replied`: the caller that
// ReplyRecv's reply made ready, woken here (by a direct switch when this receive sleeps).
KResult<uint64_t> Receive(ThreadIpc& self, EndpointCore& core, Reply& reply,
                          ipc::Participant* replied = nullptr) {
  PendingWake pending(replied);
  ipc::Endpoint& endpoint = core.endpoint();
  for (;;) {
    ipc::Step step;
    ipc::Participant* rejected = nullptr;
    {
      PendingDeletes later;
      IrqSpinLockGuard guard(ipc::IpcLock());
      if (reply.receiving) return Err(Status::kBusy);
      ipc::Participant* caller = endpoint.next_caller();
      if (caller != nullptr && reply.slot().caller() == nullptr) {
        ThreadIpc& from = ThreadIpc::Of(*caller);
        if (from.ext.cap_count > 0) {
          auto moved = TransferCaps(from.ext, from.cap_owner, self.cap_owner, later);
          if (!moved.ok()) {
            // The call cannot be delivered here: it fails (nothing changed for its caller),
            // and the receive goes on with the next one.
            endpoint.Cancel(*caller);
            caller->wake_status = moved.error();
            rejected = caller;
          }
        }
      }
      if (rejected == nullptr) {
        step = endpoint.Receive(self, reply.slot());
        if (step.status == Status::kOk && !step.block) {
          ipc::CopyExtended(self.ext, ThreadIpc::Of(*reply.slot().caller()).ext);
        }
        if (step.block) reply.receiving = true;
      }
    }
    if (rejected != nullptr) {
      WakeIfAny(rejected);
      continue;
    }
    if (step.status != Status::kOk) return Err(step.status);
    if (step.block) {
      pending.BlockHandingOff(self);
      EndReceiving(reply);
      if (self.wake_status != Status::kOk) return Err(self.wake_status);
    }
    return FinishReceive(self);
  }
}

// The reply half of Reply and ReplyRecv: `message` and self.ext to the caller bound to
// `reply`. Returns the step (its wake to be woken by the caller of this function).
KResult<ipc::Step> ReplyStep(ThreadIpc& self, Reply& reply, const ipc::RegisterMessage& message) {
  PendingDeletes later;
  IrqSpinLockGuard guard(ipc::IpcLock());
  ipc::ReplySlot& slot = reply.slot();
  if (ipc::Participant* caller = slot.caller(); caller != nullptr && self.ext.cap_count > 0) {
    TRY(TransferCaps(self.ext, self.cap_owner, ThreadIpc::Of(*caller).cap_owner, later));
  }
  ipc::Step step = ipc::Reply(slot, message);
  if (step.wake != nullptr) ipc::CopyExtended(ThreadIpc::Of(*step.wake).ext, self.ext);
  return step;
}

// Call and Send: deliver to the endpoint's waiting receiver (capabilities first), or queue.
KResult<ipc::Step> SendStep(ThreadIpc& self, Sender& sender, const ipc::RegisterMessage& message,
                            bool call) {
  ipc::Endpoint& endpoint = sender.core().endpoint();
  PendingDeletes later;
  IrqSpinLockGuard guard(ipc::IpcLock());
  if (endpoint.receiver_closed()) return Err(Status::kDead);
  ipc::Participant* receiver = endpoint.next_receiver();
  if (receiver == nullptr && !call) return Err(Status::kWouldBlock);
  if (receiver != nullptr && self.ext.cap_count > 0) {
    TRY(TransferCaps(self.ext, self.cap_owner, ThreadIpc::Of(*receiver).cap_owner, later));
  }
  ipc::Step step =
      call ? endpoint.Call(self, sender.badge(), message) : endpoint.Send(sender.badge(), message);
  if (step.wake != nullptr) ipc::CopyExtended(ThreadIpc::Of(*step.wake).ext, self.ext);
  return step;
}

// Gives the caller a new capability with every right.
template <typename T>
KResult<cap::Handle> Give(Ref<T> object) {
  return cap::KernelTable().Insert(Caller().cap_owner(), Move(object), uapi::Rights::kAll);
}

}  // namespace

KResult<cap::Handle> SysMemoryAllocReceiver(Capability<Memory> memory) {
  return Give(TRY(Receiver::Create(memory.object)));
}

KResult<cap::Handle> SysReceiverCreateSender(Capability<Memory> memory,
                                             Capability<Receiver> receiver, uint64_t badge) {
  return Give(TRY(Sender::Create(memory.object, *receiver.object, badge)));
}

KResult<cap::Handle> SysMemoryAllocReply(Capability<Memory> memory) {
  return Give(TRY(Reply::Create(memory.object)));
}

// kInvalidArgument: not 0 and not the address of a page-aligned user page.
KResult<void> SysThreadSetIpcBuffer(Capability<object::Thread> thread, uint64_t address) {
  if (address != 0 && (address % 4096 != 0 || !user::IsUserRange(address, 4096))) {
    return Err(Status::kInvalidArgument);
  }
  if (!thread->is_user()) return Err(Status::kInvalidArgument);
  thread->ipc().buffer.Store(address, MemoryOrder::kRelaxed);
  return {};
}

KResult<uint64_t> SysCall(Capability<Sender> sender) {
  ThreadIpc& self = Self();
  const ipc::RegisterMessage message = TRY(ReadOutgoing(self));
  ipc::Step step = TRY(SendStep(self, *sender.object, message, /*call=*/true));
  ASSERT(step.block, "IPC: a call that succeeded always waits for its reply");
  // A receiver was waiting: switch straight to it (direct switch).
  PendingWake(step.wake).BlockHandingOff(self);
  if (self.wake_status != Status::kOk) return Err(self.wake_status);
  return FinishReceive(self);
}

KResult<uint64_t> SysSend(Capability<Sender> sender) {
  ThreadIpc& self = Self();
  const ipc::RegisterMessage message = TRY(ReadOutgoing(self));
  ipc::Step step = TRY(SendStep(self, *sender.object, message, /*call=*/false));
  WakeIfAny(step.wake);
  return uint64_t{0};
}

KResult<uint64_t> SysRecv(Capability<Receiver> receiver, Capability<Reply> reply) {
  ThreadIpc& self = Self();
  // Sleep on the endpoint, not on the Receiver: deleting the Receiver closes the endpoint and
  // wakes this thread with kDead.
  EndpointCore* core = receiver->RetainCore();
  receiver.object.reset();
  KResult<uint64_t> result = Receive(self, *core, *reply.object);
  core->Release();
  return result;
}

KResult<uint64_t> SysReply(Capability<Reply> reply) {
  ThreadIpc& self = Self();
  const ipc::RegisterMessage message = TRY(ReadOutgoing(self));
  ipc::Step step = TRY(ReplyStep(self, *reply.object, message));
  WakeIfAny(step.wake);
  if (step.status != Status::kOk) return Err(step.status);
  return uint64_t{0};
}

// The reply stands even when the receive then fails; a slot whose caller was killed is not an
// error here (the receive empties it).
KResult<uint64_t> SysReplyRecv(Capability<Receiver> receiver, Capability<Reply> reply) {
  ThreadIpc& self = Self();
  const ipc::RegisterMessage message = TRY(ReadOutgoing(self));
  // A failed capability transfer fails the whole call before anything changed.
  ipc::Step replied = TRY(ReplyStep(self, *reply.object, message));
  // What arrives now replaces the outgoing extended part.
  self.ext.word_count = 0;
  self.ext.cap_count = 0;
  EndpointCore* core = receiver->RetainCore();
  receiver.object.reset();
  // The replied caller is woken by the receive: when it sleeps, by switching straight to it.
  KResult<uint64_t> result = Receive(self, *core, *reply.object, replied.wake);
  core->Release();
  return result;
}

}  // namespace hiillos::syscall
