// kernel/object/vmem.h — Vmem: a user address space (a PML4 whose upper half is the kernel's)
// and the set of frame mappings in its lower half.
//
// Rules: a mapping covers one whole frame; mappings never overlap; each mapping remembers the
// capability slot it was made through (MapMark), because a frame capability maps at most once
// (clone the capability to map the frame again).
//
// Who pays: the Memory the Vmem was allocated from pays for the Vmem object and its PML4. Each
// mapping is paid by the Memory its caller names (VmemMap's memory argument): the mapping record
// plus exactly the page-table pages (PDPT, PD, PT) its build had to create, charged one by one
// as they are created. Page tables are never freed before the Vmem dies (an unmap leaves them,
// empty, for the next mapping in the same region: no allocation, zeroing or charge then), so a
// mapping that created tables leaves its record behind as their receipt when it goes: the
// record stays charged (record + its tables) until the Vmem is destroyed, which frees every table
// and refunds every receipt. So the table pages alive are always exactly the ones paid for, and
// each is paid once. Whoever holds a Vmem with kMap but no Memory cannot make the Vmem's creator
// pay.
//
// Ownership: references (capability slots, Processes using it). Each mapping holds a reference
// to its frame, dropped on unmap or when the Vmem is destroyed (which also frees its lower-half
// page tables, its receipts and its PML4). A Vmem in use as some CPU's CR3 is always referenced by
// that CPU's current thread's Process, so it is never destroyed while loaded.
//
// A Vmem may name a user-space pager that resolves its page faults (kernel/object/pager.h); the
// pager process references the Vmem until it detaches or dies.
//
// Destroying a Vmem clears the mapped mark of the capability each remaining mapping was made
// through (the capability may still exist and may then be mapped again).
//
// Locking: lock_ guards the mapping set and the lower-half page tables. Lock order: Vmem lock →
// capability table (Map claims the capability's mark under it), and Vmem lock → PMM. Frame
// references leaving a mapping are dropped, TLBs flushed and capability marks cleared after
// unlocking.
#pragma once

#include <stdint.h>

#include "kernel/arch/spinlock.h"
#include "kernel/object/frame.h"
#include "kernel/object/kernel_object.h"
#include "kernel/object/map_request.h"
#include "kernel/object/mapping_set.h"
#include "kernel/object/memory.h"
#include "kernel/object/pager.h"
#include "kernel/object/ref.h"
#include "kernel/result/kresult.h"
#include "lib/base/result.h"
#include "lib/paging/types.h"
#include "uapi/object_type.h"
#include "uapi/status.h"

namespace hiillos::object {

// The capability slot a mapping was made through (see CapabilityTable::ClaimMark).
struct MapMark {
  uint32_t handle = 0;
  uint32_t cookie = 0;  // 0: no capability (kernel-made mapping)
};

// The capability a new mapping is made through: `owner`'s frame capability `handle`, or none
// (handle 0: a kernel-made mapping no handle can unmap).
struct MapSource {
  uint64_t owner = 0;
  uint32_t handle = 0;
};

class Vmem : public KernelObject {
 public:
  static constexpr uapi::ObjectType kObjectType = uapi::ObjectType::kVmem;

  // An empty address space: a fresh PML4 with the kernel's upper half.
  // Errors: kOutOfMemory (budget or PMM).
  static KResult<Ref<Vmem>> Create(const Ref<Memory>& memory);
  static void Destroy(Vmem* vmem);

  uint64_t page_table_root() const { return root_; }

  // Performs a validated request (decode checked the range, flags and the frame capability's
  // rights; request.size() is frame->size()): maps all of `frame` and, for a capability source,
  // marks that capability mapped at the moment the mapping becomes visible.
  // `payer` is charged the mapping record until the mapping goes, and each page-table page the
  // build creates until the Vmem goes (see above).
  // Errors, in this order: kAlreadyMapped (the source capability is mapped; also when a
  // concurrent map through it won), kInvalidCapability (the source capability was deleted since
  // decode), kOutOfMemory (payer's budget, or the mapping record), kOverlap, kOutOfMemory (page
  // tables: payer's budget or physical memory). Built in chunks with preemption points between
  // them (vmem.cc); the range is reserved from the start. All or nothing for the mapping: on
  // error every leaf built is removed again before the call returns and nothing is marked (the
  // leaves may have been visible meanwhile); table pages created before the failure stay, paid
  // by `payer` until the Vmem goes, like any other table.
  KResult<void> Map(Ref<Frame> frame, const MapRequest& request, MapSource source,
                    const Ref<Memory>& payer) TA_EXCLUDES(lock_);
  // Removes the mapping that starts exactly at `vaddr` (in chunks, the range reserved until
  // the end) and clears the mapped mark of the capability it was made through. Errors:
  // kNotMapped (also for a mapping another call is still building or removing).
  KResult<void> Unmap(uint64_t vaddr) TA_EXCLUDES(lock_);

  size_t MappingCount() TA_EXCLUDES(lock_);

  // Its user-space pager, if any, and the faults waiting for it (kernel/object/pager.h).
  VmemPager& pager() { return pager_; }

 private:
  struct Mapping;
  Vmem(uint64_t root, MemoryCharge charge);
  ~Vmem() = default;
  // Maps up to kLeavesPerChunk more leaves of `mapping` (a kBuilding record in the set) after
  // its `mapped` prefix. False when a page-table page could not be allocated.
  bool MapChunk(Mapping& mapping, uint64_t phys, paging::Attributes attributes) TA_REQUIRES(lock_);
  // Removes up to kLeavesPerChunk leaves from the end of `mapping`'s mapped prefix (the caller
  // flushes TLBs). Table pages left empty stay.
  void UnmapChunk(Mapping& mapping) TA_REQUIRES(lock_);
  // Takes down a kDying record in the set: its leaves chunk by chunk (preemption points in
  // between), the TLB flush, then the record itself (its mark is cleared), or, if it created
  // table pages, turns it into their receipt. Lock not held.
  void TearDown(Mapping* mapping) TA_EXCLUDES(lock_);

  const uint64_t root_;
  MemoryCharge charge_;  // this object and its PML4
  SpinLock lock_;
  MappingSet mappings_ TA_GUARDED(lock_);
  Mapping* receipts_ TA_GUARDED(lock_) = nullptr;  // records paying for tables (see above)
  VmemPager pager_;
};

// A mapping the kernel makes itself (the root's image and stack, tests): checks `vaddr` and
// `flags` as VmemMap's decode does (object::MapRequest), then maps with no capability, charged
// to `payer`. Errors: as MapRequest::Check and Vmem::Map.
KResult<void> MapForKernel(Vmem& vmem, Ref<Frame> frame, uint64_t vaddr, uint64_t flags,
                           const Ref<Memory>& payer);

}  // namespace hiillos::object
