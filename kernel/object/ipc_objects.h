// kernel/object/ipc_objects.h — the capability-facing IPC objects: Receiver (the one receiving
// end of an endpoint), Sender (a sending end with a badge) and Reply (a one-shot reply slot a
// server receives into). The protocol itself is kernel/ipc (Endpoint, ReplySlot); these objects
// own its state, charge it to a Memory, and turn "the last reference is gone" into the
// protocol's close steps, waking every waiter with kDead.
//
// Ownership: the endpoint's state (EndpointCore) is shared by the Receiver and every Sender made
// from it and freed with the last of them; its charge (the core and the Receiver object) is
// refunded then. A thread blocked in Recv holds the core, not the Receiver, so deleting the
// Receiver capability closes the endpoint under it. A blocked Call holds its Sender. A Reply
// is held by the thread receiving into it.
//
// Locking: everything protocol-side is guarded by ipc::IpcLock(). Destroy runs with no lock held.
#pragma once

#include <stdint.h>

#include "kernel/ipc/endpoint.h"
#include "kernel/ipc/reply_slot.h"
#include "kernel/ipc/thread_ipc.h"
#include "kernel/object/kernel_object.h"
#include "kernel/object/memory.h"
#include "kernel/object/ref.h"
#include "kernel/result/kresult.h"
#include "lib/base/atomic.h"
#include "uapi/object_type.h"

namespace hiillos::object {

// The endpoint's shared state: counted by its Receiver and Senders.
class EndpointCore {
 public:
  ipc::Endpoint& endpoint() { return endpoint_; }  // guarded by ipc::IpcLock()

  void Retain() { refs_.FetchAdd(1, MemoryOrder::kRelaxed); }
  // Drops one reference; the last frees the core and refunds the endpoint's charge.
  void Release();

 private:
  friend class Receiver;
  explicit EndpointCore(MemoryCharge charge) : charge_(Move(charge)) {}
  ~EndpointCore() = default;

  ipc::Endpoint endpoint_;
  Atomic<uint32_t> refs_{1};
  MemoryCharge charge_;
};

class Receiver : public KernelObject {
 public:
  static constexpr uapi::ObjectType kObjectType = uapi::ObjectType::kReceiver;
  // Bytes charged for a receiver: the object and the endpoint state.
  static const uint64_t kMemoryCost;

  // A new endpoint and its receiving end. Errors: kOutOfMemory (budget or kernel memory).
  static KResult<Ref<Receiver>> Create(const Ref<Memory>& memory);
  // Closes the endpoint: every queued caller and receiver wakes with kDead.
  static void Destroy(Receiver* receiver);

  // The endpoint, with one more reference for the caller (Release it when done).
  EndpointCore* RetainCore() {
    core_->Retain();
    return core_;
  }
  EndpointCore& core() { return *core_; }

 private:
  explicit Receiver(EndpointCore* core) : KernelObject(kObjectType), core_(core) {}
  ~Receiver() = default;

  EndpointCore* core_;
};

class Sender : public KernelObject {
 public:
  static constexpr uapi::ObjectType kObjectType = uapi::ObjectType::kSender;

  // A new sending end of `receiver`'s endpoint carrying `badge`, charged to `memory`.
  // Errors: kOutOfMemory.
  static KResult<Ref<Sender>> Create(const Ref<Memory>& memory, Receiver& receiver, uint64_t badge);
  // When it was the endpoint's last sender, receivers waiting on it wake with kDead.
  static void Destroy(Sender* sender);

  EndpointCore& core() { return *core_; }
  uint64_t badge() const { return badge_; }

 private:
  Sender(EndpointCore* core, uint64_t badge, MemoryCharge charge)
      : KernelObject(kObjectType), core_(core), badge_(badge), charge_(Move(charge)) {}
  ~Sender() = default;

  EndpointCore* core_;
  const uint64_t badge_;
  MemoryCharge charge_;
};

class Reply : public KernelObject {
 public:
  static constexpr uapi::ObjectType kObjectType = uapi::ObjectType::kReply;

  // A new, empty reply slot. Errors: kOutOfMemory.
  static KResult<Ref<Reply>> Create(const Ref<Memory>& memory);
  // A caller still bound to the slot wakes with kDead.
  static void Destroy(Reply* reply);

  // Guarded by ipc::IpcLock().
  ipc::ReplySlot& slot() { return slot_; }
  // A thread is queued in a receive into this slot (a second receive into it is kBusy).
  // Guarded by ipc::IpcLock().
  bool receiving = false;

 private:
  explicit Reply(MemoryCharge charge) : KernelObject(kObjectType), charge_(Move(charge)) {}
  ~Reply() = default;

  ipc::ReplySlot slot_;
  MemoryCharge charge_;
};

// Wakes every participant the endpoint has stranded (after a close), one lock hold each.
void WakeStranded(ipc::Endpoint& endpoint);

}  // namespace hiillos::object
