// kernel/cap/capability_table.h — CapabilityTable: the one global, linear array of capability
// slots (a handle is a 32-bit slot index; 0 is the null capability).
//
// A slot holds a counted reference to a kernel object, the object's type tag, the capability's
// rights and the id of the process that owns it. Only the owner can use a handle: to any other
// process it is kInvalidCapability, exactly like a free slot. Free slots form a LIFO free list
// and are reused. The array grows one storage page at a time (SlotStorage) and never shrinks.
//
// Ownership and lifetime: the kernel has one table for its whole run; host tests make their own.
// The table owns the references in its slots; deleting a capability drops its reference, and
// an object is destroyed with its last reference (which may be held outside the table).
//
// Locking: one TableLock (lock_, table_lock.h) guards every slot and counter. Every public
// operation takes it for a short, bounded time, so all of them may be called concurrently from any
// CPU (thread context only, never from interrupt handlers). The lock is never held while an object
// is destroyed: a reference leaving a slot is moved into a local and dropped after unlocking.
// Destroying an object can take other locks, drop more references (e.g. a Process deleting its
// capabilities) or re-enter this table, which would deadlock or invert the lock order if the
// table lock were held. Lock order: table lock → SlotStorage's commit (physical memory, kernel
// page tables); nothing else is taken under it.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "kernel/cap/slot_storage.h"
#include "kernel/cap/table_lock.h"
#include "kernel/object/kernel_object.h"
#include "kernel/object/ref.h"
#include "lib/base/result.h"
#include "uapi/object_type.h"
#include "uapi/rights.h"
#include "uapi/status.h"

namespace hiillos::cap {

using object::KernelObject;
using object::Ref;
using uapi::ObjectType;
using uapi::Rights;
using uapi::Status;

using Handle = uint32_t;
using ProcessId = uint32_t;
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
  static constexpr size_t kSlotsPerPage = kPageSize / kSlotBytes;
  // Handles are 32-bit, so at most 2^32 slots (slot 0 included) whatever the storage size.
  static constexpr uint64_t kMaxSlots = uint64_t{1} << 32;

  constexpr CapabilityTable() = default;
  CapabilityTable(const CapabilityTable&) = delete;
  CapabilityTable& operator=(const CapabilityTable&) = delete;

  // Gives the table its storage; nothing is committed until the first insert.
  // Errors: kInvalidArgument (null or unaligned base, zero pages, no commit function),
  //         kBusy (already initialised).
  Result<void, Status> Init(const SlotStorage& storage) TA_EXCLUDES(lock_);

  // Puts a new capability for `object` with `rights` into a free slot owned by `owner`.
  // Errors: kInvalidArgument (null object, kNull-tagged object, undefined rights bits),
  //         kNoSlots (storage region full, or Init not called), kOutOfMemory (growing failed).
  // On error `object` is dropped by the caller's side, after the lock is released.
  Result<Handle, Status> Insert(ProcessId owner, Ref<KernelObject> object, Rights rights)
      TA_EXCLUDES(lock_);

  // The object behind `owner`'s `handle`, which must be a T with at least `required` rights.
  // Errors: kInvalidCapability (handle 0, out of range, free, or owned by another process),
  //         kWrongType (the object is not a T), kMissingRights (required ⊄ the slot's rights).
  template <object::KernelObjectClass T>
  Result<Ref<T>, Status> Lookup(ProcessId owner, Handle handle, Rights required)
      TA_EXCLUDES(lock_) {
    Found found = TRY(LookupChecked(owner, handle, object::ObjectTypeOf<T>::kValue,
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
  Result<FoundAs<T>, Status> LookupWithRights(ProcessId owner, Handle handle, Rights required)
      TA_EXCLUDES(lock_) {
    Found found = TRY(LookupChecked(owner, handle, object::ObjectTypeOf<T>::kValue,
                                    /*check_type=*/true, required));
    return FoundAs<T>{object::RefCast<T>(Move(found.object)), found.rights};
  }
  // Lookup of any type. Errors: kInvalidCapability, kMissingRights (as Lookup).
  Result<Ref<KernelObject>, Status> LookupAny(ProcessId owner, Handle handle, Rights required)
      TA_EXCLUDES(lock_) {
    Found found =
        TRY(LookupChecked(owner, handle, ObjectType::kNull, /*check_type=*/false, required));
    return Move(found.object);
  }

  // A new capability for `owner` to the same object with `subset` rights; the source needs
  // kClone. The new slot gets kClone only if `subset` includes it.
  // Errors: kInvalidArgument (undefined bits in subset), kInvalidCapability,
  //         kMissingRights (source lacks kClone, or subset ⊄ source rights), kNoSlots,
  //         kOutOfMemory.
  Result<Handle, Status> Derive(ProcessId owner, Handle handle, Rights subset) TA_EXCLUDES(lock_);

  // Frees the slot and drops its reference (no right needed: dropping authority is always
  // allowed). Errors: kInvalidCapability.
  Result<void, Status> Delete(ProcessId owner, Handle handle) TA_EXCLUDES(lock_);

  // Type and rights of a capability. Errors: kInvalidCapability.
  Result<CapabilityInfo, Status> Identify(ProcessId owner, Handle handle) TA_EXCLUDES(lock_);

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
  // changes its owner, so it cannot fail once the checks pass; `from == to` is allowed.
  // Errors: kInvalidArgument (mode not a TransferMode), kInvalidCapability, kMissingRights,
  //         kNoSlots and kOutOfMemory (copy only).
  Result<Handle, Status> Transfer(ProcessId from, Handle handle, ProcessId to, TransferMode mode)
      TA_EXCLUDES(lock_);

  // Gives `to` a new capability to the object `from` holds at `handle`, with `subset` rights
  // (a copy: `from` keeps its own). Needs kTransfer and kClone on the source; `from == to` is
  // allowed. Errors: kInvalidArgument (undefined bits in subset), kInvalidCapability,
  // kMissingRights (source lacks kTransfer or kClone, or subset ⊄ source rights), kNoSlots,
  // kOutOfMemory.
  Result<Handle, Status> Grant(ProcessId from, Handle handle, ProcessId to, Rights subset)
      TA_EXCLUDES(lock_);

  // Deletes every capability `owner` holds and returns how many (process teardown). The
  // process must no longer run: capabilities it gains meanwhile in already-scanned slots stay.
  // Takes the lock in short bounded steps and drops the references between them.
  size_t DeleteAllOwnedBy(ProcessId owner) TA_EXCLUDES(lock_);

  // Counters for accounting and leak tests (snapshots; other CPUs may change them right after).
  size_t UsedSlots() TA_EXCLUDES(lock_);  // live capabilities
  size_t Capacity() TA_EXCLUDES(lock_);   // usable slots committed (slot 0 excluded)
  size_t CommittedPages() TA_EXCLUDES(lock_);
  // Capabilities held by `owner`: scans the whole table under the lock (diagnostics and tests).
  size_t CountOwnedBy(ProcessId owner) TA_EXCLUDES(lock_);
  // Walks the whole table under the lock and checks its invariants: slot 0 null, live slots
  // hold an object whose tag is the slot's, the free list is acyclic, in range and holds exactly
  // the free slots, and the used counter matches. For tests (host and in-kernel).
  [[nodiscard]] bool CheckInvariants() TA_EXCLUDES(lock_);

 private:
  struct Slot {
    Ref<KernelObject> object;  // null when free
    Rights rights;             // kNone when free
    ProcessId owner;           // 0 when free (owner 0 is a valid process id: check `type`)
    Handle next_free;          // free-list link when free (kNullHandle ends the list)
    ObjectType type;           // kNull when free; equals object->type() otherwise
    uint8_t reserved[3];       // room for more per-capability state
    uint32_t map_cookie;       // non-zero while the capability is mapped (MarkMapped)
  };
  static_assert(sizeof(Slot) == kSlotBytes, "slots must tile storage pages exactly");

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
  // The owner's live slot at `handle`, or nullptr (kInvalidCapability).
  Slot* FindOwned(ProcessId owner, Handle handle) TA_REQUIRES(lock_);
  // Pops a free slot (growing the storage if needed) and moves `object` into it. On failure
  // `object` is left untouched, so the caller drops it (after unlocking if it may be the last).
  Result<Handle, Status> Allocate(ProcessId owner, Ref<KernelObject>& object, ObjectType type,
                                  Rights rights) TA_REQUIRES(lock_);
  Result<void, Status> Grow() TA_REQUIRES(lock_);
  // Empties the slot, pushes it on the free list and hands back its reference, which the
  // caller drops after unlocking.
  Ref<KernelObject> Release(Handle handle) TA_REQUIRES(lock_);

  TableLock lock_;
  bool initialised_ TA_GUARDED(lock_) = false;
  SlotStorage storage_ TA_GUARDED(lock_);
  Slot* slots_ TA_GUARDED(lock_) TA_PT_GUARDED(lock_) = nullptr;  // storage_.base
  uint64_t slot_count_ TA_GUARDED(lock_) = 0;  // committed slots, slot 0 included
  size_t committed_pages_ TA_GUARDED(lock_) = 0;
  size_t used_ TA_GUARDED(lock_) = 0;
  Handle free_head_ TA_GUARDED(lock_) = kNullHandle;
  uint32_t next_cookie_ TA_GUARDED(lock_) = 1;
};

}  // namespace hiillos::cap
