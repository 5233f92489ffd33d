// kernel/cap/capability_table.cc — CapabilityTable: slot allocation, growth, lookup with type
// and rights, derive, delete, transfer and per-process teardown.
#include "kernel/cap/capability_table.h"

#include "lib/base/placement_new.h"

namespace hiillos::cap {
namespace {

// DeleteAllOwnedBy's step: at most this many slots scanned, and references collected, per
// lock hold, so other CPUs wait a bounded time and destruction happens unlocked.
constexpr size_t kScanPerLock = 1024;
constexpr size_t kDropBatch = 16;

}  // namespace

Result<void, Status> CapabilityTable::Init(const SlotStorage& storage) {
  auto base = reinterpret_cast<uintptr_t>(storage.base);
  if (base == 0 || base % kPageSize != 0 || storage.max_pages == 0 ||
      storage.commit_page == nullptr) {
    return Err(Status::kInvalidArgument);
  }
  TableLockGuard guard(lock_);
  if (initialised_) return Err(Status::kBusy);
  initialised_ = true;
  storage_ = storage;
  slots_ = static_cast<Slot*>(storage.base);
  return Ok<Status>();
}

Result<Handle, Status> CapabilityTable::Insert(ProcessId owner, Ref<KernelObject> object,
                                               Rights rights) {
  if (!object || object->type() == ObjectType::kNull || !rights.IsValid()) {
    return Err(Status::kInvalidArgument);
  }
  ObjectType type = object->type();
  TableLockGuard guard(lock_);
  // On failure `object` keeps its reference; it is dropped with the parameter, after unlocking.
  return Allocate(owner, object, type, rights);
}

Result<CapabilityTable::Found, Status> CapabilityTable::LookupChecked(
    ProcessId owner, Handle handle, ObjectType type, bool check_type, Rights required) {
  TableLockGuard guard(lock_);
  Slot* slot = FindOwned(owner, handle);
  if (slot == nullptr) return Err(Status::kInvalidCapability);
  if (check_type && slot->type != type) return Err(Status::kWrongType);
  if (!required.IsSubsetOf(slot->rights)) return Err(Status::kMissingRights);
  return Found{Ref<KernelObject>(slot->object), slot->rights};  // a new reference, taken locked
}

Result<Handle, Status> CapabilityTable::Derive(ProcessId owner, Handle handle, Rights subset) {
  if (!subset.IsValid()) return Err(Status::kInvalidArgument);
  TableLockGuard guard(lock_);
  Slot* slot = FindOwned(owner, handle);
  if (slot == nullptr) return Err(Status::kInvalidCapability);
  if (!slot->rights.Has(Rights::kClone) || !subset.IsSubsetOf(slot->rights)) {
    return Err(Status::kMissingRights);
  }
  // Dropped under the lock if Allocate fails, which is safe: the source slot holds another one.
  Ref<KernelObject> extra = slot->object;
  return Allocate(owner, extra, slot->type, subset);
}

Result<void, Status> CapabilityTable::Delete(ProcessId owner, Handle handle) {
  Ref<KernelObject> dropped;
  {
    TableLockGuard guard(lock_);
    if (FindOwned(owner, handle) == nullptr) return Err(Status::kInvalidCapability);
    dropped = Release(handle);
  }
  dropped.reset();  // may destroy the object: the lock is free here
  return Ok<Status>();
}

Result<CapabilityInfo, Status> CapabilityTable::Identify(ProcessId owner, Handle handle) {
  TableLockGuard guard(lock_);
  Slot* slot = FindOwned(owner, handle);
  if (slot == nullptr) return Err(Status::kInvalidCapability);
  return CapabilityInfo{slot->type, slot->rights};
}

Result<CapabilityTable::Slot*, Status> CapabilityTable::FindUnmarked(ProcessId owner, Handle handle,
                                                                     const KernelObject* object) {
  Slot* slot = FindOwned(owner, handle);
  if (slot == nullptr || slot->object.get() != object) return Err(Status::kInvalidCapability);
  if (slot->map_cookie != 0) return Err(Status::kAlreadyMapped);
  return slot;
}

Result<void, Status> CapabilityTable::CheckUnmarked(ProcessId owner, Handle handle,
                                                    const KernelObject* object) {
  TableLockGuard guard(lock_);
  TRY(FindUnmarked(owner, handle, object));
  return Ok<Status>();
}

Result<uint32_t, Status> CapabilityTable::ClaimMark(ProcessId owner, Handle handle,
                                                    const KernelObject* object) {
  TableLockGuard guard(lock_);
  Slot* slot = TRY(FindUnmarked(owner, handle, object));
  slot->map_cookie = next_cookie_;
  next_cookie_ = next_cookie_ == UINT32_MAX ? 1 : next_cookie_ + 1;  // never 0
  return slot->map_cookie;
}

void CapabilityTable::ClearMapped(Handle handle, uint32_t cookie) {
  if (cookie == 0) return;
  TableLockGuard guard(lock_);
  if (handle == kNullHandle || handle >= slot_count_) return;
  Slot& slot = slots_[handle];
  if (slot.type != ObjectType::kNull && slot.map_cookie == cookie) slot.map_cookie = 0;
}

Result<bool, Status> CapabilityTable::IsMapped(ProcessId owner, Handle handle) {
  TableLockGuard guard(lock_);
  Slot* slot = FindOwned(owner, handle);
  if (slot == nullptr) return Err(Status::kInvalidCapability);
  return slot->map_cookie != 0;
}

Result<Handle, Status> CapabilityTable::Transfer(ProcessId from, Handle handle, ProcessId to,
                                                 TransferMode mode) {
  if (mode != TransferMode::kMove && mode != TransferMode::kCopy) {
    return Err(Status::kInvalidArgument);
  }
  TableLockGuard guard(lock_);
  Slot* slot = FindOwned(from, handle);
  if (slot == nullptr) return Err(Status::kInvalidCapability);
  Rights needed =
      mode == TransferMode::kCopy ? (Rights::kTransfer | Rights::kClone) : Rights::kTransfer;
  if (!slot->rights.Has(needed)) return Err(Status::kMissingRights);
  if (mode == TransferMode::kMove) {
    slot->owner = to;
    return handle;
  }
  // As in Derive: on failure `extra` cannot be the last reference.
  Ref<KernelObject> extra = slot->object;
  return Allocate(to, extra, slot->type, slot->rights);
}

Result<Handle, Status> CapabilityTable::Grant(ProcessId from, Handle handle, ProcessId to,
                                              Rights subset) {
  if (!subset.IsValid()) return Err(Status::kInvalidArgument);
  TableLockGuard guard(lock_);
  Slot* slot = FindOwned(from, handle);
  if (slot == nullptr) return Err(Status::kInvalidCapability);
  if (!slot->rights.Has(Rights::kTransfer | Rights::kClone) || !subset.IsSubsetOf(slot->rights)) {
    return Err(Status::kMissingRights);
  }
  // As in Derive: on failure `extra` cannot be the last reference.
  Ref<KernelObject> extra = slot->object;
  return Allocate(to, extra, slot->type, subset);
}

size_t CapabilityTable::DeleteAllOwnedBy(ProcessId owner) {
  size_t deleted = 0;
  uint64_t cursor = 1;
  bool done = false;
  while (!done) {
    Ref<KernelObject> batch[kDropBatch];
    {
      TableLockGuard guard(lock_);
      size_t collected = 0;
      for (size_t scanned = 0;
           scanned < kScanPerLock && collected < kDropBatch && cursor < slot_count_;
           ++scanned, ++cursor) {
        Slot& slot = slots_[cursor];
        if (slot.type != ObjectType::kNull && slot.owner == owner) {
          batch[collected++] = Release(static_cast<Handle>(cursor));
        }
      }
      deleted += collected;
      done = cursor >= slot_count_;
    }
    // `batch` goes out of scope here, unlocked: its references are dropped.
  }
  return deleted;
}

size_t CapabilityTable::UsedSlots() {
  TableLockGuard guard(lock_);
  return used_;
}

size_t CapabilityTable::Capacity() {
  TableLockGuard guard(lock_);
  return slot_count_ == 0 ? 0 : static_cast<size_t>(slot_count_ - 1);
}

size_t CapabilityTable::CommittedPages() {
  TableLockGuard guard(lock_);
  return committed_pages_;
}

size_t CapabilityTable::CountOwnedBy(ProcessId owner) {
  TableLockGuard guard(lock_);
  size_t count = 0;
  for (uint64_t i = 1; i < slot_count_; ++i) {
    if (slots_[i].type != ObjectType::kNull && slots_[i].owner == owner) ++count;
  }
  return count;
}

bool CapabilityTable::CheckInvariants() {
  TableLockGuard guard(lock_);
  if (slot_count_ == 0) return used_ == 0 && free_head_ == kNullHandle;
  if (slots_[0].type != ObjectType::kNull || slots_[0].object) return false;
  uint64_t live = 0;
  for (uint64_t i = 1; i < slot_count_; ++i) {
    const Slot& slot = slots_[i];
    if (slot.type == ObjectType::kNull) {
      if (slot.object || slot.map_cookie != 0) return false;
    } else {
      if (!slot.object || slot.object->type() != slot.type) return false;
      ++live;
    }
  }
  uint64_t free = 0;
  for (Handle at = free_head_; at != kNullHandle; at = slots_[at].next_free) {
    // More links than free slots means a cycle; a live slot on the list means corruption.
    if (at >= slot_count_ || slots_[at].type != ObjectType::kNull || ++free > slot_count_) {
      return false;
    }
  }
  return live == used_ && live + free == slot_count_ - 1;
}

CapabilityTable::Slot* CapabilityTable::FindOwned(ProcessId owner, Handle handle) {
  if (handle == kNullHandle || handle >= slot_count_) return nullptr;
  Slot* slot = &slots_[handle];
  if (slot->type == ObjectType::kNull || slot->owner != owner) return nullptr;
  return slot;
}

Result<Handle, Status> CapabilityTable::Allocate(ProcessId owner, Ref<KernelObject>& object,
                                                 ObjectType type, Rights rights) {
  // Growing commits memory after the existing slots, so `slot` pointers held by callers stay
  // valid.
  if (free_head_ == kNullHandle) TRY(Grow());
  Handle handle = free_head_;
  Slot& slot = slots_[handle];
  free_head_ = slot.next_free;
  slot.object = Move(object);
  slot.rights = rights;
  slot.owner = owner;
  slot.next_free = kNullHandle;
  slot.type = type;
  slot.map_cookie = 0;
  ++used_;
  return handle;
}

Result<void, Status> CapabilityTable::Grow() {
  if (!initialised_ || committed_pages_ >= storage_.max_pages ||
      slot_count_ + kSlotsPerPage > kMaxSlots) {
    return Err(Status::kNoSlots);
  }
  Result<void, Status> committed = storage_.commit_page(storage_.context, committed_pages_);
  if (!committed.ok()) {
    // Storage reports its own error; never pass on a success-looking code as a failure.
    return Err(committed.error() == Status::kOk ? Status::kOutOfMemory : committed.error());
  }
  uint64_t first = slot_count_;
  for (uint64_t i = first; i < first + kSlotsPerPage; ++i) new (&slots_[i]) Slot{};
  // Push in descending order so the lowest index is handed out first; slot 0 stays null.
  for (uint64_t i = first + kSlotsPerPage; i-- > first;) {
    if (i == kNullHandle) continue;
    slots_[i].next_free = free_head_;
    free_head_ = static_cast<Handle>(i);
  }
  slot_count_ = first + kSlotsPerPage;
  ++committed_pages_;
  return Ok<Status>();
}

Ref<KernelObject> CapabilityTable::Release(Handle handle) {
  Slot& slot = slots_[handle];
  Ref<KernelObject> object = Move(slot.object);
  slot.rights = Rights::kNone;
  slot.owner = 0;
  slot.type = ObjectType::kNull;
  slot.map_cookie = 0;
  slot.next_free = free_head_;
  free_head_ = handle;
  --used_;
  return object;
}

}  // namespace hiillos::cap
