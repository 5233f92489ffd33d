// kernel/object/vmem.cc — Vmem: user page tables (lib/paging over PMM pages, kept until the Vmem
// dies and charged to the mapping that created each, see vmem.h), the mapping set, and TLB
// maintenance after unmapping.
#include "kernel/object/vmem.h"

#include "kernel/arch/address_space.h"
#include "kernel/mm/kernel_space.h"
#include "kernel/mm/object_allocator.h"
#include "kernel/mm/pmm.h"
#include "kernel/object/map_request.h"
#include "kernel/object/notify.h"  // the pager references (pager.h)
#include "kernel/object/object_events.h"
#include "kernel/object/process.h"  // the pager references (pager.h)
#include "kernel/object/tlb.h"
#include "kernel/panic/assert.h"
#include "kernel/result/kresult.h"
#include "kernel/sched/scheduler.h"
#include "lib/base/page_size.h"
#include "lib/base/placement_new.h"
#include "lib/paging/page_table.h"

namespace hiillos::object {

namespace {

constexpr unsigned kFirstKernelPml4Index = 256;
constexpr unsigned kPml4Entries = 512;

// lib/paging's environment for a user address space. With a charge, every table page it
// allocates is charged to that charge's Memory first (the mapping that creates it pays,
// exactly) and counted in `*tables`; without one (the PML4, charged with the Vmem; teardown)
// it charges nothing. lib/paging gives a page back only when a Map fails after allocating it,
// or when a dying Vmem frees its tables.
class UserPagingEnv {
 public:
  UserPagingEnv() = default;
  UserPagingEnv(MemoryCharge* charge, uint64_t* tables) : charge_(charge), tables_(tables) {}
  Result<uint64_t, paging::Error> AllocTablePage() {
    if (charge_ != nullptr && !charge_->Grow(kPageSize).ok()) {
      return Err(paging::Error::kOutOfMemory);
    }
    auto page = mm::AllocatePages(0, mm::PageUse::kPageTable);
    if (!page.ok()) {
      if (charge_ != nullptr) charge_->Shrink(kPageSize);
      return Err(paging::Error::kOutOfMemory);
    }
    if (tables_ != nullptr) ++*tables_;
    return page.value();  // lib/paging zeroes it
  }
  void FreeTablePage(uint64_t phys) {
    auto freed = mm::FreePages(phys, 0);
    (void)freed;  // only pages AllocTablePage handed out come back
    if (charge_ != nullptr) charge_->Shrink(kPageSize);
    if (tables_ != nullptr) --*tables_;
  }
  void* PhysToVirt(uint64_t phys) { return mm::PhysToVirt(phys); }

 private:
  MemoryCharge* charge_ = nullptr;
  uint64_t* tables_ = nullptr;
};

using UserSpace = paging::AddressSpace<UserPagingEnv>;

paging::PageSize LargestPage() {
  static const bool has_1g = arch::HasGigabytePages();
  return has_1g ? paging::PageSize::k1G : paging::PageSize::k2M;
}

}  // namespace

// One mapping: a whole frame at [base, base + size). Owned by the Vmem's mapping set.
//
// A large mapping is built and torn down in chunks of kLeavesPerChunk page-table leaves, with
// the Vmem lock dropped and a preemption point between chunks, so no CPU keeps interrupts off
// (or waits for this lock) longer than one chunk takes. Meanwhile the record stays in the set
// and reserves its range: kBuilding (the map call has not returned: VmemUnmap finds nothing,
// VmemMap over it overlaps) and kDying (an unmap or a failed map is taking it down: the same).
//
// Page tables stay until the Vmem dies (unmapping leaves them, empty, for the next mapping
// there), so each table page is paid once, by the mapping that created it: `tables` counts them
// and `charge` holds their bytes. When such a mapping goes, its record stays behind as the
// receipt for them (kReceipt: out of the set, no frame, in the Vmem's receipt list) until the
// Vmem is destroyed.
struct Vmem::Mapping : MappingNode {
  enum class State : uint8_t { kBuilding, kLive, kDying, kReceipt };
  Ref<Frame> frame;
  uint64_t flags = 0;
  MapMark mark;
  MemoryCharge charge;  // this record and the table pages it created, to the paying Memory
  State state = State::kBuilding;
  uint64_t mapped = 0;  // bytes from `base` whose leaves are in the page tables
  uint64_t tables = 0;  // table pages this mapping created (in `charge`)
  Mapping* next_receipt = nullptr;
};

namespace {

// Leaves mapped or unmapped per lock hold (each is a walk of at most four levels and a few
// stores: a chunk is some tens of thousands of instructions at most).
constexpr unsigned kLeavesPerChunk = 64;
// Table pages a dying Vmem frees between preemption points (each: a scan of at most one table).
constexpr uint64_t kTablesPerStep = 16;

// The next smaller page size (k4K has none: returns k4K).
paging::PageSize Smaller(paging::PageSize size) {
  return size == paging::PageSize::k1G ? paging::PageSize::k2M : paging::PageSize::k4K;
}

}  // namespace

Vmem::Vmem(uint64_t root, MemoryCharge charge)
    : KernelObject(kObjectType), root_(root), charge_(Move(charge)) {}

KResult<Ref<Vmem>> Vmem::Create(const Ref<Memory>& memory) {
  MemoryCharge charge = TRY(Memory::Charge(memory, sizeof(Vmem) + kPageSize));  // and its PML4
  auto storage = mm::ObjectAlloc(sizeof(Vmem));
  if (!storage.ok()) return Err(uapi::Status::kOutOfMemory);
  UserPagingEnv env;
  auto space = UserSpace::Create(env);
  if (!space.ok()) {
    mm::ObjectFree(storage.value(), sizeof(Vmem));
    return Err(uapi::Status::kOutOfMemory);
  }
  // Share the kernel half: every upper PML4 entry already points at a kernel PDPT.
  auto* pml4 = static_cast<uint64_t*>(mm::PhysToVirt(space.value().root()));
  const auto* kernel_pml4 = static_cast<const uint64_t*>(mm::PhysToVirt(mm::KernelPageTableRoot()));
  for (unsigned i = kFirstKernelPml4Index; i < kPml4Entries; ++i) pml4[i] = kernel_pml4[i];
  return AdoptRef(new (storage.value()) Vmem(space.value().root(), Move(charge)));
}

void Vmem::Destroy(Vmem* vmem) {
  // Nobody else can reach this Vmem any more (no reference is left), and no CPU runs on its
  // page tables (see vmem.h), so no TLB flush is needed; the lock is taken only for the
  // analysis. Work is chunked with preemption points all the same: a Vmem may hold 10^5 pages.
  // 1. Every lower-half table, whatever it still maps (the leaves need no removal one by one).
  {
    UserPagingEnv env;
    UserSpace space(env, vmem->root_);
    uint64_t cursor = 0;
    while (cursor != UserSpace::kAllTablesFreed) {
      cursor = space.FreeLowerHalfTables(cursor, kTablesPerStep);
      sched::PreemptionPoint();
    }
  }
  // 2. The mapping records: frames dropped, marks cleared, charges (tables included) refunded.
  for (;;) {
    Mapping* mapping;
    {
      SpinLockGuard guard(vmem->lock_);
      mapping = static_cast<Mapping*>(vmem->mappings_.PopFront());
      if (mapping == nullptr) {
        mapping = vmem->receipts_;
        if (mapping != nullptr) vmem->receipts_ = mapping->next_receipt;
      }
    }
    if (mapping == nullptr) break;
    if (mapping->state != Mapping::State::kReceipt) {
      ReportMappingRemoved(mapping->mark.handle, mapping->mark.cookie);
    }
    mapping->~Mapping();  // drops the frame (destroyed by the outermost DestroyObject), refunds
    mm::ObjectFree(mapping, sizeof(Mapping));
    sched::PreemptionPoint();
  }
  UserPagingEnv env;
  env.FreeTablePage(vmem->root_);
  vmem->~Vmem();  // refunds the object and its PML4
  mm::ObjectFree(vmem, sizeof(Vmem));
}

KResult<void> Vmem::Map(Ref<Frame> frame, const MapRequest& request, MapSource source,
                        const Ref<Memory>& payer) {
  // The source's mark is checked first (errors keep their documented order) and claimed only
  // once the page tables are built, so a failed map never shows a mark.
  if (source.handle != 0) {
    TRY(CheckMapMark(source.owner, source.handle, frame.get()));
  }
  // The record now; each table page the build creates is added to this charge as it goes.
  MemoryCharge charge = TRY(Memory::Charge(payer, sizeof(Mapping)));
  auto storage = mm::ObjectAlloc(sizeof(Mapping));
  if (!storage.ok()) return Err(uapi::Status::kOutOfMemory);
  auto* mapping = new (storage.value()) Mapping();
  mapping->base = request.vaddr();
  mapping->size = request.size();
  mapping->flags = request.flags();
  mapping->charge = Move(charge);
  const uint64_t phys = frame->phys();
  const paging::Attributes attributes = request.Attributes(frame->kind() == Frame::Kind::kDevice);
  const KernelObject* frame_object = frame.get();
  mapping->frame = Move(frame);

  // 1. Reserve the range: the record goes into the set as kBuilding.
  bool overlap;
  {
    SpinLockGuard guard(lock_);
    overlap = mappings_.Overlaps(mapping->base, mapping->size);
    if (!overlap) {
      auto inserted = mappings_.Insert(mapping);
      (void)inserted;  // cannot fail: checked for overlap under the same lock
    }
  }
  if (overlap) {
    mapping->~Mapping();  // the frame reference may be the last one: dropped unlocked
    mm::ObjectFree(mapping, sizeof(Mapping));
    return Err(uapi::Status::kOverlap);
  }

  // 2. Build the page tables chunk by chunk.
  uapi::Status status = uapi::Status::kOk;
  while (status == uapi::Status::kOk && mapping->mapped < mapping->size) {
    {
      SpinLockGuard guard(lock_);
      if (!MapChunk(*mapping, phys, attributes)) status = uapi::Status::kOutOfMemory;
    }
    sched::PreemptionPoint();
  }

  // 3. Publish: claim the capability's mark and go live, atomically under the lock.
  if (status == uapi::Status::kOk) {
    SpinLockGuard guard(lock_);
    if (source.handle != 0) {
      auto cookie = ClaimMapMark(source.owner, source.handle, frame_object);
      if (cookie.ok()) {
        mapping->mark = MapMark{source.handle, cookie.value()};
      } else {
        status = cookie.error();  // another map through this capability won the race
      }
    }
    mapping->state = status == uapi::Status::kOk ? Mapping::State::kLive : Mapping::State::kDying;
  }
  if (status == uapi::Status::kOk) return Ok();

  // Failed (page tables, or the mark): take down what was built; no mark was set.
  {
    SpinLockGuard guard(lock_);
    mapping->state = Mapping::State::kDying;
  }
  TearDown(mapping);
  return Err(status);
}

KResult<void> Vmem::Unmap(uint64_t vaddr) {
  Mapping* mapping;
  {
    SpinLockGuard guard(lock_);
    mapping = static_cast<Mapping*>(mappings_.FindExact(vaddr));
    // One being built (its map call has not returned) or taken down is not there for callers.
    if (mapping == nullptr || mapping->state != Mapping::State::kLive) {
      return Err(uapi::Status::kNotMapped);
    }
    mapping->state = Mapping::State::kDying;
  }
  TearDown(mapping);
  return Ok();
}

void Vmem::TearDown(Mapping* mapping) {
  // The record keeps the range reserved until the end, so no other mapping can appear in it
  // while its leaves go chunk by chunk. Frames stay referenced until the flush, so stale TLB
  // entries meanwhile reach nothing that was reused; table pages are not freed at all.
  while (mapping->mapped != 0) {
    {
      SpinLockGuard guard(lock_);
      UnmapChunk(*mapping);
    }
    sched::PreemptionPoint();
  }
  // Unlocked (remote CPUs may need locks to answer): after this no CPU can reach the frame
  // through this Vmem.
  FlushTlb(root_, mapping->base, mapping->size);
  const bool receipt = mapping->tables != 0;
  {
    SpinLockGuard guard(lock_);
    mappings_.Remove(mapping);
    if (receipt) {  // it paid for tables that stay: keep the record as their receipt
      mapping->state = Mapping::State::kReceipt;
      mapping->next_receipt = receipts_;
      receipts_ = mapping;
    }
  }
  ReportMappingRemoved(mapping->mark.handle, mapping->mark.cookie);
  if (receipt) {
    mapping->frame.reset();  // the frame reference may be the last one: dropped unlocked
    return;
  }
  mapping->~Mapping();  // the frame reference may be the last one: dropped unlocked
  mm::ObjectFree(mapping, sizeof(Mapping));
}

KResult<void> MapForKernel(Vmem& vmem, Ref<Frame> frame, uint64_t vaddr, uint64_t flags,
                           const Ref<Memory>& payer) {
  MapRequest request = TRY(MapRequest::Check(vaddr, frame->size(), flags));
  return vmem.Map(Move(frame), request, MapSource{}, payer);
}

size_t Vmem::MappingCount() {
  SpinLockGuard guard(lock_);
  return mappings_.count();
}

bool Vmem::MapChunk(Mapping& mapping, uint64_t phys, paging::Attributes attributes) {
  UserPagingEnv env(&mapping.charge, &mapping.tables);
  UserSpace space(env, root_);
  for (unsigned leaves = 0; leaves < kLeavesPerChunk && mapping.mapped < mapping.size; ++leaves) {
    const uint64_t offset = mapping.mapped;
    paging::PageSize size = UserSpace::ChunkSize(mapping.base + offset, phys + offset,
                                                 mapping.size - offset, LargestPage());
    // The range is reserved in the set, so only a table allocation (budget or PMM) can fail,
    // or a large page can meet tables earlier mappings left there, all empty (an empty table:
    // kConflictingPageSize; a table holding only empty tables: kAlreadyMapped, its count is
    // not 0): then smaller pages, down to 4 KiB, where nothing can be in the way.
    for (;;) {
      auto mapped = space.Map(mapping.base + offset, phys + offset, size, attributes);
      if (mapped.ok()) break;
      const bool tables_in_the_way = mapped.error() == paging::Error::kConflictingPageSize ||
                                     mapped.error() == paging::Error::kAlreadyMapped;
      if (!tables_in_the_way || size == paging::PageSize::k4K) return false;
      size = Smaller(size);
    }
    mapping.mapped += paging::Bytes(size);
  }
  return true;
}

void Vmem::UnmapChunk(Mapping& mapping) {
  UserPagingEnv env;
  UserSpace space(env, root_);
  // From the top of what is mapped down, so `mapped` stays the extent of the mapped prefix.
  for (unsigned leaves = 0; leaves < kLeavesPerChunk && mapping.mapped != 0; ++leaves) {
    // The leaf that ends at `mapped` (MapChunk picked the sizes; find it through the tables).
    auto leaf = space.Translate(mapping.base + mapping.mapped - 1);
    ASSERT(leaf.ok(), "vmem: the mapping set and the page tables disagree");
    const uint64_t bytes = paging::Bytes(leaf.value().size);
    auto removed = space.Unmap(mapping.base + mapping.mapped - bytes, leaf.value().size,
                               UserSpace::EmptyTables::kKeep);
    ASSERT(removed.ok(), "vmem: a mapped leaf could not be unmapped");
    mapping.mapped -= bytes;
  }
}

}  // namespace hiillos::object
