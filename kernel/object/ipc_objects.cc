// kernel/object/ipc_objects.cc — Receiver, Sender and Reply: creation (charged to a Memory) and
// the close steps their destruction runs.
#include "kernel/object/ipc_objects.h"

#include "kernel/mm/object_allocator.h"
#include "lib/base/placement_new.h"

namespace hiillos::object {

const uint64_t Receiver::kMemoryCost = sizeof(Receiver) + sizeof(EndpointCore);

void EndpointCore::Release() {
  if (refs_.FetchSub(1, MemoryOrder::kAcqRel) != 1) return;
  // Nobody can reach the endpoint any more: no receiver, no sender, no blocked thread.
  this->~EndpointCore();  // refunds the charge
  mm::ObjectFree(this, sizeof(EndpointCore));
}

void WakeStranded(ipc::Endpoint& endpoint) {
  for (;;) {
    ipc::Participant* stranded;
    {
      IrqSpinLockGuard guard(ipc::IpcLock());
      stranded = endpoint.TakeStranded();
    }
    if (stranded == nullptr) return;
    ipc::ThreadIpc::Of(*stranded).Wake();
  }
}

KResult<Ref<Receiver>> Receiver::Create(const Ref<Memory>& memory) {
  MemoryCharge charge = TRY(Memory::Charge(memory, kMemoryCost));
  auto core_storage = mm::ObjectAlloc(sizeof(EndpointCore));
  if (!core_storage.ok()) return Err(uapi::Status::kOutOfMemory);
  auto storage = mm::ObjectAlloc(sizeof(Receiver));
  if (!storage.ok()) {
    mm::ObjectFree(core_storage.value(), sizeof(EndpointCore));
    return Err(uapi::Status::kOutOfMemory);
  }
  auto* core = new (core_storage.value()) EndpointCore(Move(charge));
  return AdoptRef(new (storage.value()) Receiver(core));
}

void Receiver::Destroy(Receiver* receiver) {
  EndpointCore* core = receiver->core_;
  {
    IrqSpinLockGuard guard(ipc::IpcLock());
    core->endpoint().CloseReceiver();
  }
  WakeStranded(core->endpoint());
  receiver->~Receiver();
  mm::ObjectFree(receiver, sizeof(Receiver));
  core->Release();
}

KResult<Ref<Sender>> Sender::Create(const Ref<Memory>& memory, Receiver& receiver, uint64_t badge) {
  MemoryCharge charge = TRY(Memory::Charge(memory, sizeof(Sender)));
  auto storage = mm::ObjectAlloc(sizeof(Sender));
  if (!storage.ok()) return Err(uapi::Status::kOutOfMemory);
  EndpointCore* core = receiver.RetainCore();
  {
    IrqSpinLockGuard guard(ipc::IpcLock());
    core->endpoint().AddSender();
  }
  return AdoptRef(new (storage.value()) Sender(core, badge, Move(charge)));
}

void Sender::Destroy(Sender* sender) {
  EndpointCore* core = sender->core_;
  {
    IrqSpinLockGuard guard(ipc::IpcLock());
    core->endpoint().DropSender();
  }
  WakeStranded(core->endpoint());
  sender->~Sender();  // refunds the charge
  mm::ObjectFree(sender, sizeof(Sender));
  core->Release();
}

KResult<Ref<Reply>> Reply::Create(const Ref<Memory>& memory) {
  MemoryCharge charge = TRY(Memory::Charge(memory, sizeof(Reply)));
  auto storage = mm::ObjectAlloc(sizeof(Reply));
  if (!storage.ok()) return Err(uapi::Status::kOutOfMemory);
  return AdoptRef(new (storage.value()) Reply(Move(charge)));
}

void Reply::Destroy(Reply* reply) {
  ipc::Participant* caller;
  {
    IrqSpinLockGuard guard(ipc::IpcLock());
    caller = ipc::ReleaseSlot(reply->slot_);
  }
  if (caller != nullptr) ipc::ThreadIpc::Of(*caller).Wake();
  reply->~Reply();  // refunds the charge
  mm::ObjectFree(reply, sizeof(Reply));
}

}  // namespace hiillos::object
