// kernel/cap/capability_table.cc — CapabilityTable: slot allocation (lowest page first), page
// commit and decommit, per-slot charging, lookup with type and rights, derive, delete, transfer
// and chunked per-owner teardown.
#include "kernel/cap/capability_table.h"

#include "lib/base/placement_new.h"

namespace hiillos::cap {
namespace {

// DeleteOwnedBy's step: at most this many references collected per lock hold, so other CPUs
// wait a bounded time and destruction happens unlocked. Each can drain at most one page.
constexpr size_t kDropBatch = 16;

size_t PageOf(uint64_t handle) {
  return static_cast<size_t>(handle / CapabilityTable::kSlotsPerPage);
}

}  // namespace

Result<void, Status> CapabilityTable::Init(const SlotStorage& storage) {
  auto base = reinterpret_cast<uintptr_t>(storage.base);
  if (base == 0 || base % kPageSize != 0 || storage.max_pages == 0 ||
      storage.commit_page == nullptr || storage.decommit_page == nullptr) {
    return Err(Status::kInvalidArgument);
  }
  TableLockGuard guard(lock_);
  if (initialised_) return Err(Status::kBusy);
  initialised_ = true;
  storage_ = storage;
  max_pages_ = storage.max_pages < kMaxPages ? storage.max_pages : kMaxPages;
  slots_ = static_cast<Slot*>(storage.base);
  for (size_t page = 0; page < max_pages_; ++page) available_.Set(page);
  return Ok<Status>();
}

Result<Handle, Status> CapabilityTable::Insert(CapOwner& owner, Ref<KernelObject> object,
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
  Rights rights{slot->rights};
  if (!required.IsSubsetOf(rights)) return Err(Status::kMissingRights);
  return Found{Ref<KernelObject>(slot->object), rights};  // a new reference, taken locked
}

Result<Handle, Status> CapabilityTable::Derive(CapOwner& owner, Handle handle, Rights subset) {
  if (!subset.IsValid()) return Err(Status::kInvalidArgument);
  TableLockGuard guard(lock_);
  Slot* slot = FindOwned(owner.id, handle);
  if (slot == nullptr) return Err(Status::kInvalidCapability);
  Rights rights{slot->rights};
  if (!rights.Has(Rights::kClone) || !subset.IsSubsetOf(rights)) {
    return Err(Status::kMissingRights);
  }
  // Dropped under the lock if Allocate fails, which is safe: the source slot holds another one.
  Ref<KernelObject> extra = slot->object;
  return Allocate(owner, extra, slot->type, subset);
}

Result<void, Status> CapabilityTable::Delete(CapOwner& owner, Handle handle) {
  Ref<KernelObject> dropped;
  Drained drained;
  {
    TableLockGuard guard(lock_);
    if (FindOwned(owner.id, handle) == nullptr) return Err(Status::kInvalidCapability);
    dropped = Release(owner, handle, drained);
  }
  dropped.reset();  // may destroy the object: the lock is free here
  Decommit(drained);
  return Ok<Status>();
}

Result<CapabilityInfo, Status> CapabilityTable::Identify(const CapOwner& owner, Handle handle) {
  TableLockGuard guard(lock_);
  Slot* slot = FindOwned(owner.id, handle);
  if (slot == nullptr) return Err(Status::kInvalidCapability);
  return CapabilityInfo{slot->type, Rights{slot->rights}};
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
  Slot* slot = FindLive(handle);
  if (slot != nullptr && slot->map_cookie == cookie) slot->map_cookie = 0;
}

Result<bool, Status> CapabilityTable::IsMapped(ProcessId owner, Handle handle) {
  TableLockGuard guard(lock_);
  Slot* slot = FindOwned(owner, handle);
  if (slot == nullptr) return Err(Status::kInvalidCapability);
  return slot->map_cookie != 0;
}

Result<Handle, Status> CapabilityTable::Transfer(CapOwner& from, Handle handle, CapOwner& to,
                                                 TransferMode mode) {
  if (mode != TransferMode::kMove && mode != TransferMode::kCopy) {
    return Err(Status::kInvalidArgument);
  }
  TableLockGuard guard(lock_);
  Slot* slot = FindOwned(from.id, handle);
  if (slot == nullptr) return Err(Status::kInvalidCapability);
  Rights rights{slot->rights};
  Rights needed =
      mode == TransferMode::kCopy ? (Rights::kTransfer | Rights::kClone) : Rights::kTransfer;
  if (!rights.Has(needed)) return Err(Status::kMissingRights);
  if (mode == TransferMode::kMove) {
    if (&from == &to) return handle;
    if (to.budget != from.budget) {
      if (to.budget != nullptr) TRY(to.budget->Charge(kSlotBytes));
      if (from.budget != nullptr) from.budget->Refund(kSlotBytes);
    }
    UnlinkOwned(from, handle);
    slot->owner = to.id;
    LinkOwned(to, handle);
    return handle;
  }
  // As in Derive: on failure `extra` cannot be the last reference.
  Ref<KernelObject> extra = slot->object;
  return Allocate(to, extra, slot->type, rights);
}

Result<Handle, Status> CapabilityTable::Grant(const CapOwner& from, Handle handle, CapOwner& to,
                                              Rights subset) {
  if (!subset.IsValid()) return Err(Status::kInvalidArgument);
  TableLockGuard guard(lock_);
  Slot* slot = FindOwned(from.id, handle);
  if (slot == nullptr) return Err(Status::kInvalidCapability);
  Rights rights{slot->rights};
  if (!rights.Has(Rights::kTransfer | Rights::kClone) || !subset.IsSubsetOf(rights)) {
    return Err(Status::kMissingRights);
  }
  // As in Derive: on failure `extra` cannot be the last reference.
  Ref<KernelObject> extra = slot->object;
  return Allocate(to, extra, slot->type, subset);
}

size_t CapabilityTable::DeleteOwnedBy(CapOwner& owner, size_t max_count) {
  size_t deleted = 0;
  while (deleted < max_count) {
    Ref<KernelObject> batch[kDropBatch];
    Drained drained;
    size_t collected = 0;
    {
      TableLockGuard guard(lock_);
      size_t want = max_count - deleted < kDropBatch ? max_count - deleted : kDropBatch;
      while (collected < want && owner.first != kNullHandle) {
        batch[collected++] = Release(owner, owner.first, drained);
      }
    }
    deleted += collected;
    for (size_t i = 0; i < collected; ++i) batch[i].reset();  // unlocked: may destroy objects
    Decommit(drained);
    if (collected == 0) break;
  }
  return deleted;
}

size_t CapabilityTable::DeleteAllOwnedBy(CapOwner& owner) {
  constexpr size_t kChunk = 256;
  size_t total = 0;
  for (size_t deleted; (deleted = DeleteOwnedBy(owner, kChunk)) != 0;) total += deleted;
  return total;
}

size_t CapabilityTable::UsedSlots() {
  TableLockGuard guard(lock_);
  return used_;
}

size_t CapabilityTable::Capacity() {
  TableLockGuard guard(lock_);
  return live_pages_ * kUsableSlotsPerPage;
}

size_t CapabilityTable::CommittedPages() {
  TableLockGuard guard(lock_);
  return committed_pages_;
}

size_t CapabilityTable::CountOwnedBy(const CapOwner& owner) {
  TableLockGuard guard(lock_);
  return owner.count;
}

bool CapabilityTable::CheckInvariants() {
  TableLockGuard guard(lock_);
  size_t live_pages = 0;
  size_t reserved = 0;
  uint64_t live_total = 0;
  for (size_t page = 0; page < max_pages_; ++page) {
    if (!available_.Test(page)) ++reserved;
    if (!live_.Test(page)) {
      if (has_free_.Test(page)) return false;
      continue;
    }
    if (available_.Test(page)) return false;
    ++live_pages;
    const PageHeader& header = Header(page);
    const uint64_t first = uint64_t{page} * kSlotsPerPage;
    uint64_t live = 0;
    for (uint64_t i = first + 1; i < first + kSlotsPerPage; ++i) {
      const Slot& slot = slots_[i];
      if (slot.type == ObjectType::kNull) {
        if (slot.object || slot.map_cookie != 0) return false;
      } else {
        if (!slot.object || slot.object->type() != slot.type) return false;
        ++live;
      }
    }
    if (live != header.used || live == 0) return false;  // empty pages are decommitted
    if (has_free_.Test(page) != (live < kUsableSlotsPerPage)) return false;
    uint64_t free = 0;
    for (Handle at = header.free_head; at != kNullHandle; at = slots_[at].next) {
      // More links than free slots means a cycle; a live slot on the list means corruption.
      if (PageOf(at) != page || at % kSlotsPerPage == 0 || slots_[at].type != ObjectType::kNull ||
          ++free > kUsableSlotsPerPage) {
        return false;
      }
    }
    if (live + free != kUsableSlotsPerPage) return false;
    live_total += live;
  }
  return live_total == used_ && live_pages == live_pages_ && reserved == committed_pages_;
}

bool CapabilityTable::CheckOwner(const CapOwner& owner) {
  TableLockGuard guard(lock_);
  uint64_t count = 0;
  Handle previous = kNullHandle;
  for (Handle at = owner.first; at != kNullHandle; at = slots_[at].next) {
    Slot* slot = FindOwned(owner.id, at);
    if (slot == nullptr || slot->prev != previous || ++count > used_) return false;
    previous = at;
  }
  return count == owner.count;
}

CapabilityTable::PageHeader& CapabilityTable::Header(size_t page) {
  return *reinterpret_cast<PageHeader*>(&slots_[uint64_t{page} * kSlotsPerPage]);
}

CapabilityTable::Slot* CapabilityTable::FindLive(Handle handle) {
  if (handle % kSlotsPerPage == 0) return nullptr;  // the null handle and page headers
  size_t page = PageOf(handle);
  if (page >= max_pages_ || !live_.Test(page)) return nullptr;
  Slot* slot = &slots_[handle];
  return slot->type == ObjectType::kNull ? nullptr : slot;
}

CapabilityTable::Slot* CapabilityTable::FindOwned(ProcessId owner, Handle handle) {
  Slot* slot = FindLive(handle);
  if (slot == nullptr || slot->owner != owner) return nullptr;
  return slot;
}

Result<Handle, Status> CapabilityTable::Allocate(CapOwner& owner, Ref<KernelObject>& object,
                                                 ObjectType type, Rights rights) {
  if (!initialised_) return Err(Status::kNoSlots);
  if (owner.budget != nullptr) TRY(owner.budget->Charge(kSlotBytes));
  size_t page = has_free_.FindFirst();
  if (page == decltype(has_free_)::kNone) {
    auto committed = CommitPage();
    if (!committed.ok()) {
      if (owner.budget != nullptr) owner.budget->Refund(kSlotBytes);
      return Err(committed.error());
    }
    page = committed.value();
  }
  // Committing maps memory elsewhere in the region, so `slot` pointers held by callers stay
  // valid.
  PageHeader& header = Header(page);
  Handle handle = header.free_head;
  Slot& slot = slots_[handle];
  header.free_head = slot.next;
  if (++header.used == kUsableSlotsPerPage) has_free_.Clear(page);
  slot.object = Move(object);
  slot.rights = static_cast<uint16_t>(rights.bits);
  slot.owner = owner.id;
  slot.type = type;
  slot.map_cookie = 0;
  LinkOwned(owner, handle);
  ++used_;
  return handle;
}

Result<size_t, Status> CapabilityTable::CommitPage() {
  size_t page = available_.FindFirst();
  if (page == decltype(available_)::kNone || page >= max_pages_) return Err(Status::kNoSlots);
  Result<void, Status> committed = storage_.commit_page(storage_.context, page);
  if (!committed.ok()) {
    // Storage reports its own error; never pass on a success-looking code as a failure.
    return Err(committed.error() == Status::kOk ? Status::kOutOfMemory : committed.error());
  }
  const uint64_t first = uint64_t{page} * kSlotsPerPage;
  PageHeader& header = *new (&slots_[first]) PageHeader{};
  // Link in descending order so the lowest index is handed out first.
  for (uint64_t i = first + kSlotsPerPage; --i > first;) {
    Slot& slot = *new (&slots_[i]) Slot{};
    slot.next = header.free_head;
    header.free_head = static_cast<Handle>(i);
  }
  available_.Clear(page);
  live_.Set(page);
  has_free_.Set(page);
  ++committed_pages_;
  ++live_pages_;
  return page;
}

void CapabilityTable::LinkOwned(CapOwner& owner, Handle handle) {
  Slot& slot = slots_[handle];
  slot.prev = kNullHandle;
  slot.next = owner.first;
  if (owner.first != kNullHandle) slots_[owner.first].prev = handle;
  owner.first = handle;
  ++owner.count;
}

void CapabilityTable::UnlinkOwned(CapOwner& owner, Handle handle) {
  Slot& slot = slots_[handle];
  if (slot.prev != kNullHandle) {
    slots_[slot.prev].next = slot.next;
  } else {
    owner.first = slot.next;
  }
  if (slot.next != kNullHandle) slots_[slot.next].prev = slot.prev;
  slot.prev = kNullHandle;
  slot.next = kNullHandle;
  --owner.count;
}

Ref<KernelObject> CapabilityTable::Release(CapOwner& owner, Handle handle, Drained& drained) {
  UnlinkOwned(owner, handle);
  if (owner.budget != nullptr) owner.budget->Refund(kSlotBytes);
  Slot& slot = slots_[handle];
  Ref<KernelObject> object = Move(slot.object);
  slot.rights = 0;
  slot.owner = 0;
  slot.type = ObjectType::kNull;
  slot.map_cookie = 0;
  const size_t page = PageOf(handle);
  PageHeader& header = Header(page);
  slot.next = header.free_head;
  header.free_head = handle;
  --used_;
  if (--header.used == 0) {
    // Out of use now: no lookup or allocation reaches it; decommitted after unlocking.
    live_.Clear(page);
    has_free_.Clear(page);
    --live_pages_;
    drained.pages[drained.count++] = page;
  } else {
    has_free_.Set(page);
  }
  return object;
}

void CapabilityTable::Decommit(const Drained& drained) {
  if (drained.count == 0) return;
  SlotStorage storage;
  {
    TableLockGuard guard(lock_);
    storage = storage_;
  }
  for (size_t i = 0; i < drained.count; ++i)
    storage.decommit_page(storage.context, drained.pages[i]);
  TableLockGuard guard(lock_);
  for (size_t i = 0; i < drained.count; ++i) {
    available_.Set(drained.pages[i]);
    --committed_pages_;
  }
}

}  // namespace hiillos::cap
