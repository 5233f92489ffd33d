// kernel/cap/capability_table.h — CapabilityTable: the one global, linear array of capability
// slots (a handle is a 32-bit slot index; 0 is the null capability).
//
// A slot holds a counted reference to a kernel object, the object's type tag, the capability's
// rights and the id of the process that owns it. Only the owner can use a handle: to any other
// process it is kInvalidCapability, exactly like a free slot.
//
// Storage and accounting: the array lives in a reserved region (SlotStorage) whose pages are
// committed when needed and decommitted (returned to the physical allocator) as soon as their
// last slot is freed. Slot 0 of every page is the page's header (its used count and free list),
// never a capability, so a page holds kSlotsPerPage - 1 capabilities. New slots come from the
// lowest page with a free slot, so high pages drain. Every slot is charged kSlotBytes to its
// owner's Memory (CapOwner::budget) while it is live and refunded when it is freed; a move to
// another owner charges the receiver first and refunds the sender. Each owner's slots form a
// doubly linked list through the slots (head in its CapOwner), so deleting them costs O(owned).
//
// Ownership and lifetime: the kernel has one table for its whole run; host tests make their own.
// The table owns the references in its slots; deleting a capability drops its reference, and
// an object is destroyed with its last reference (which may be held outside the table).
//
// Locking: one TableLock (lock_, table_lock.h) guards every slot, counter, bitmap and the
// `first`/`count` fields of every CapOwner. Every public operation takes it for a short, bounded
// time, so all of them may be called concurrently from any CPU (thread context only, never from
// interrupt handlers). The lock is never held while an object is destroyed or a page is
// decommitted: a reference leaving a slot is moved into a local and dropped after unlocking, and
// an emptied page is taken out of use under the lock (no lookup or allocation reaches it) and
// decommitted after unlocking (decommit flushes TLBs on every CPU). Lock order: table lock →
// SlotStorage's commit (physical memory, kernel page tables) and Memory budgets (lock-free).
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "kernel/cap/page_bitmap.h"
#include "kernel/cap/slot_storage.h"
#include "kernel/cap/table_lock.h"
#include "kernel/object/cap_owner.h"
#include "kernel/object/kernel_object.h"
#include "kernel/object/ref.h"
#include "lib/base/result.h"
#include "uapi/object_type.h"
#include "uapi/rights.h"
#include "uapi/status.h"

namespace hiillos::cap {

using object::CapOwner;
using object::KernelObject;
using object::Ref;
using uapi::ObjectType;
using uapi::Rights;
using uapi::Status;

using Handle = uint32_t;
using ProcessId = uint64_t;
inline constexpr Handle kNullHandle = 0;

// What identify reports about a capability.
struct CapabilityInfo {
  ObjectType type;
  Rights rights;
};

// How a capability travels through IPC.
enum class TransferMode : uint8_t {
  kMove = 0,  // the sender loses it; the receiver gets the same slot (the handle value is kept)
  kCopy = 1,  // the sender keeps it; the receiver gets a new slot with the same rights
};

class CapabilityTable {
 public:
  static constexpr size_t kSlotBytes = 32;
  static constexpr size_t kSlotsPerPage = kPageSize / kSlotBytes;  // slot 0 is the page header
  static constexpr size_t kUsableSlotsPerPage = kSlotsPerPage - 1;
  // Storage pages the table can address (bitmaps are sized for it): 1 GiB of slots.
  static constexpr size_t kMaxPages = size_t{1} << 18;
  static_assert(kMaxPages * kSlotsPerPage <= (uint64_t{1} << 32), "handles are 32-bit");

  constexpr CapabilityTable() = default;
  CapabilityTable(const CapabilityTable&) = delete;
  CapabilityTable& operator=(const CapabilityTable&) = delete;

  // Gives the table its storage (at most kMaxPages of it is used); nothing is committed until
  // the first insert. Errors: kInvalidArgument (null or unaligned base, zero pages, no commit or
  // decommit function), kBusy (already initialised).
  Result<void, Status> Init(const SlotStorage& storage) TA_EXCLUDES(lock_);

  // Puts a new capability for `object` with `rights` into a free slot owned by `owner`, charged
  // to owner.budget. Errors: kInvalidArgument (null object, kNull-tagged object, undefined rights
  // bits), kOutOfMemory (owner's budget exhausted, or committing a page failed), kNoSlots
  // (storage region full, or Init not called).
  // On error `object` is dropped by the caller's side, after the lock is released.
  Result<Handle, Status> Insert(CapOwner& owner, Ref<KernelObject> object, Rights rights)
      TA_EXCLUDES(lock_);

  // The object behind `owner`'s `handle`, which must be a T with at least `required` rights.
  // Errors: kInvalidCapability (handle 0, out of range, free, or owned by another process),
  //         kWrongType (the object is not a T), kMissingRights (required ⊄ the slot's rights).
  template <object::KernelObjectClass T>
  Result<Ref<T>, Status> Lookup(const CapOwner& owner, Handle handle, Rights required)
      TA_EXCLUDES(lock_) {
    Found found = TRY(LookupChecked(owner.id, handle, object::ObjectTypeOf<T>::kValue,
                                    /*check_type=*/true, required));
    // The slot's tag matched and slot tags equal object tags, so the cast cannot fail.
    return object::RefCast<T>(Move(found.object));
  }
  // Lookup that also reports every right the capability has (for calls whose other arguments
  // decide which further rights they need). Errors: as Lookup.
  template <object::KernelObjectClass T>
  struct FoundAs {
    Ref<T> object;
    Rights rights;
  };
  template <object::KernelObjectClass T>
  Result<FoundAs<T>, Status> LookupWithRights(const CapOwner& owner, Handle handle, Rights required)
      TA_EXCLUDES(lock_) {
    Found found = TRY(LookupChecked(owner.id, handle, object::ObjectTypeOf<T>::kValue,
                                    /*check_type=*/true, required));
    return FoundAs<T>{object::RefCast<T>(Move(found.object)), found.rights};
  }
  // Lookup of any type. Errors: kInvalidCapability, kMissingRights (as Lookup).
  Result<Ref<KernelObject>, Status> LookupAny(const CapOwner& owner, Handle handle, Rights required)
      TA_EXCLUDES(lock_) {
    Found found =
        TRY(LookupChecked(owner.id, handle, ObjectType::kNull, /*check_type=*/false, required));
    return Move(found.object);
  }

  // A new capability for `owner` to the same object with `subset` rights; the source needs
  // kClone. The new slot gets kClone only if `subset` includes it; it is charged to owner.budget.
  // Errors: kInvalidArgument (undefined bits in subset), kInvalidCapability,
  //         kMissingRights (source lacks kClone, or subset ⊄ source rights), kNoSlots,
  //         kOutOfMemory.
  Result<Handle, Status> Derive(CapOwner& owner, Handle handle, Rights subset) TA_EXCLUDES(lock_);

  // Frees the slot, refunds its charge and drops its reference (no right needed: dropping
  // authority is always allowed). Errors: kInvalidCapability.
  Result<void, Status> Delete(CapOwner& owner, Handle handle) TA_EXCLUDES(lock_);

  // Type and rights of a capability. Errors: kInvalidCapability.
  Result<CapabilityInfo, Status> Identify(const CapOwner& owner, Handle handle) TA_EXCLUDES(lock_);

  // Per-capability mapping mark (Frame capabilities: a capability maps its frame at most once).
  // Both take `owner`'s capability `handle` that must still name `object` (the one a lookup
  // returned earlier); otherwise it was deleted or replaced since: kInvalidCapability.
  // CheckUnmarked changes nothing: kAlreadyMapped if the capability is marked. ClaimMark marks it
  // and returns a cookie (never 0) identifying this mark; kAlreadyMapped if already marked.
  Result<void, Status> CheckUnmarked(ProcessId owner, Handle handle, const KernelObject* object)
      TA_EXCLUDES(lock_);
  Result<uint32_t, Status> ClaimMark(ProcessId owner, Handle handle, const KernelObject* object)
      TA_EXCLUDES(lock_);
  // Clears the mark of slot `handle` if it still carries `cookie` (whoever owns the slot now: a
  // moved capability keeps its mark). Does nothing if the slot was freed or re-marked since.
  void ClearMapped(Handle handle, uint32_t cookie) TA_EXCLUDES(lock_);
  // Whether `owner`'s capability is marked mapped. Errors: kInvalidCapability.
  Result<bool, Status> IsMapped(ProcessId owner, Handle handle) TA_EXCLUDES(lock_);

  // Gives `to` the capability `from` holds at `handle` and returns the receiver's handle.
  // Needs kTransfer; kCopy needs kClone too (a copy is a clone). A move keeps the slot and only
  // changes its owner: it charges to.budget and refunds from.budget (nothing when they are the
  // same budget); `from == to` is allowed. All or nothing.
  // Errors: kInvalidArgument (mode not a TransferMode), kInvalidCapability, kMissingRights,
  //         kOutOfMemory (the receiver's budget; for a copy also a page), kNoSlots (copy only).
  Result<Handle, Status> Transfer(CapOwner& from, Handle handle, CapOwner& to, TransferMode mode)
      TA_EXCLUDES(lock_);

  // Gives `to` a new capability to the object `from` holds at `handle`, with `subset` rights
  // (a copy: `from` keeps its own), charged to to.budget. Needs kTransfer and kClone on the
  // source; `from == to` is allowed. Errors: kInvalidArgument (undefined bits in subset),
  // kInvalidCapability, kMissingRights (source lacks kTransfer or kClone, or subset ⊄ source
  // rights), kNoSlots, kOutOfMemory.
  Result<Handle, Status> Grant(const CapOwner& from, Handle handle, CapOwner& to, Rights subset)
      TA_EXCLUDES(lock_);

  // Deletes at most `max_count` of the capabilities `owner` holds and returns how many it
  // deleted (0: it holds none). O(deleted): takes the lock in short bounded steps, dropping the
  // references and decommitting emptied pages between them, so a caller can loop over it with
  // preemption points (process teardown).
  size_t DeleteOwnedBy(CapOwner& owner, size_t max_count) TA_EXCLUDES(lock_);
  // Deletes every capability `owner` holds (a loop over DeleteOwnedBy) and returns how many.
  // Capabilities it gains meanwhile are deleted too.
  size_t DeleteAllOwnedBy(CapOwner& owner) TA_EXCLUDES(lock_);

  // Counters for accounting and leak tests (snapshots; other CPUs may change them right after).
  size_t UsedSlots() TA_EXCLUDES(lock_);       // live capabilities
  size_t Capacity() TA_EXCLUDES(lock_);        // usable slots in committed pages
  size_t CommittedPages() TA_EXCLUDES(lock_);  // pages backed by memory now
  // Capabilities held by `owner` (its counter).
  size_t CountOwnedBy(const CapOwner& owner) TA_EXCLUDES(lock_);
  // Walks the whole table under the lock and checks its invariants: page headers count their
  // live slots, each page's free list is acyclic and holds exactly its free slots, live slots
  // hold an object whose tag is the slot's, no committed page is empty, the bitmaps agree with
  // the headers and the counters match. For tests (host and in-kernel).
  [[nodiscard]] bool CheckInvariants() TA_EXCLUDES(lock_);
  // Checks `owner`'s slot list: well linked, every slot live and owned by it, length == count.
  [[nodiscard]] bool CheckOwner(const CapOwner& owner) TA_EXCLUDES(lock_);

 private:
  struct Slot {
    Ref<KernelObject> object;  // null when free
    ProcessId owner;           // 0 when free (check `type`)
    Handle next;               // free: next free slot of the page; live: next slot of the owner
    Handle prev;               // live: previous slot of the owner (kNullHandle: first)
    uint32_t map_cookie;       // non-zero while the capability is mapped (MarkMapped)
    uint16_t rights;           // Rights bits (kNone when free)
    ObjectType type;           // kNull when free; equals object->type() otherwise
    uint8_t reserved;          // room for more per-capability state
  };
  static_assert(sizeof(Slot) == kSlotBytes, "slots must tile storage pages exactly");
  static_assert(Rights::kAll.bits <= UINT16_MAX, "rights must fit the slot's 16 bits");
  // Slot 0 of every committed page.
  struct PageHeader {
    uint32_t used;     // live slots in the page
    Handle free_head;  // first free slot of the page (kNullHandle: the page is full)
    uint8_t unused[24];
  };
  static_assert(sizeof(PageHeader) == kSlotBytes, "the header takes one slot");

  // Pages emptied under the lock, decommitted after unlocking.
  struct Drained {
    static constexpr size_t kMax = 16;
    size_t pages[kMax];
    size_t count = 0;
  };

  struct Found {
    Ref<KernelObject> object;
    Rights rights;  // all the slot's rights
  };
  Result<Found, Status> LookupChecked(ProcessId owner, Handle handle, ObjectType type,
                                      bool check_type, Rights required) TA_EXCLUDES(lock_);
  // The owner's live slot at `handle` if it still holds `object`; kInvalidCapability otherwise,
  // kAlreadyMapped if it is marked.
  Result<Slot*, Status> FindUnmarked(ProcessId owner, Handle handle, const KernelObject* object)
      TA_REQUIRES(lock_);
  // The live slot at `handle` (in a committed page), or nullptr.
  Slot* FindLive(Handle handle) TA_REQUIRES(lock_);
  // The owner's live slot at `handle`, or nullptr (kInvalidCapability).
  Slot* FindOwned(ProcessId owner, Handle handle) TA_REQUIRES(lock_);
  PageHeader& Header(size_t page) TA_REQUIRES(lock_);
  // Charges owner.budget, takes the lowest free slot (committing a page if needed) and moves
  // `object` into it. On failure `object` is left untouched and nothing is charged, so the
  // caller drops it (after unlocking if it may be the last).
  Result<Handle, Status> Allocate(CapOwner& owner, Ref<KernelObject>& object, ObjectType type,
                                  Rights rights) TA_REQUIRES(lock_);
  Result<size_t, Status> CommitPage() TA_REQUIRES(lock_);
  void LinkOwned(CapOwner& owner, Handle handle) TA_REQUIRES(lock_);
  void UnlinkOwned(CapOwner& owner, Handle handle) TA_REQUIRES(lock_);
  // Empties `owner`'s slot, refunds it, puts it on its page's free list and hands back its
  // reference, which the caller drops after unlocking. A page left empty is taken out of use
  // and added to `drained` (the caller decommits it after unlocking; `drained` must have room).
  Ref<KernelObject> Release(CapOwner& owner, Handle handle, Drained& drained) TA_REQUIRES(lock_);
  // Decommits the drained pages (unlocked) and makes their indices available again.
  void Decommit(const Drained& drained) TA_EXCLUDES(lock_);

  TableLock lock_;
  bool initialised_ TA_GUARDED(lock_) = false;
  SlotStorage storage_ TA_GUARDED(lock_);
  size_t max_pages_ TA_GUARDED(lock_) = 0;
  Slot* slots_ TA_GUARDED(lock_) TA_PT_GUARDED(lock_) = nullptr;  // storage_.base
  size_t committed_pages_ TA_GUARDED(lock_) = 0;  // live pages and pages being decommitted
  size_t live_pages_ TA_GUARDED(lock_) = 0;
  size_t used_ TA_GUARDED(lock_) = 0;
  PageBitmap<kMaxPages> live_ TA_GUARDED(lock_);       // committed and in use
  PageBitmap<kMaxPages> has_free_ TA_GUARDED(lock_);   // live with a free slot
  PageBitmap<kMaxPages> available_ TA_GUARDED(lock_);  // not committed (and not draining)
  uint32_t next_cookie_ TA_GUARDED(lock_) = 1;
};

}  // namespace hiillos::cap
