// kernel/object/vmem.cc — Vmem: user page tables (lib/paging over PMM pages; their cost is
// charged with each mapping, see vmem.h), the mapping set, and TLB maintenance after unmapping.
#include "kernel/object/vmem.h"

#include "kernel/arch/address_space.h"
#include "kernel/mm/deferred_table_pages.h"
#include "kernel/mm/kernel_space.h"
#include "kernel/mm/object_allocator.h"
#include "kernel/mm/paging_env.h"
#include "kernel/mm/pmm.h"
#include "kernel/object/map_request.h"
#include "kernel/object/object_events.h"
#include "kernel/object/tlb.h"
#include "kernel/panic/assert.h"
#include "kernel/result/kresult.h"
#include "lib/base/page_size.h"
#include "lib/base/placement_new.h"
#include "lib/paging/page_table.h"

namespace hiillos::object {

// Table pages an unmap frees wait in a DeferredTables list until the TLB flush is done
// (mm/deferred_table_pages.h). Their cost was charged with the mappings (vmem.h).
class DeferredTables {
 public:
  void Push(uint64_t phys) { pages_.Push(phys); }
  void Release() { (void)pages_.Release(); }

 private:
  mm::DeferredTablePages pages_;
};

namespace {

constexpr unsigned kFirstKernelPml4Index = 256;
constexpr unsigned kPml4Entries = 512;

// lib/paging's environment for a user address space (see DeferredTables). It charges nothing:
// the PML4 is charged with the Vmem, every other table page within a mapping's bound.
class UserPagingEnv {
 public:
  explicit UserPagingEnv(DeferredTables* deferred = nullptr) : deferred_(deferred) {}
  Result<uint64_t, paging::Error> AllocTablePage() {
    auto page = mm::AllocatePages(0, mm::PageUse::kPageTable);
    if (!page.ok()) return Err(paging::Error::kOutOfMemory);
    return page.value();  // lib/paging zeroes it
  }
  void FreeTablePage(uint64_t phys) {
    if (deferred_ != nullptr) {
      deferred_->Push(phys);
      return;
    }
    auto freed = mm::FreePages(phys, 0);
    (void)freed;  // only pages AllocTablePage handed out come back
  }
  void* PhysToVirt(uint64_t phys) { return mm::PhysToVirt(phys); }

 private:
  DeferredTables* deferred_;
};

using UserSpace = paging::AddressSpace<UserPagingEnv>;

paging::PageSize LargestPage() {
  static const bool has_1g = arch::HasGigabytePages();
  return has_1g ? paging::PageSize::k1G : paging::PageSize::k2M;
}

}  // namespace

// One mapping: a whole frame at [base, base + size). Owned by the Vmem's mapping set.
struct Vmem::Mapping : MappingNode {
  Ref<Frame> frame;
  uint64_t flags = 0;
  MapMark mark;
  MemoryCharge charge;  // this record and its table-page bound, to the paying Memory
};

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
  // Nobody uses these page tables any more (see vmem.h), so no TLB flush is needed: CPUs that
  // ran on them have loaded another CR3 since.
  for (;;) {
    Mapping* mapping;
    {
      SpinLockGuard guard(vmem->lock_);
      mapping = static_cast<Mapping*>(vmem->mappings_.PopFront());
      if (mapping != nullptr) vmem->UnmapPages(*mapping, nullptr);
    }
    if (mapping == nullptr) break;
    ReportMappingRemoved(mapping->mark.handle, mapping->mark.cookie);
    mapping->~Mapping();  // drops the frame, refunds the record
    mm::ObjectFree(mapping, sizeof(Mapping));
  }
  // Every lower-half table was freed with the last page in it; the root is left.
  UserPagingEnv env;
  env.FreeTablePage(vmem->root_);
  vmem->~Vmem();  // refunds the object and its PML4, drops the Memory
  mm::ObjectFree(vmem, sizeof(Vmem));
}

KResult<void> Vmem::Map(Ref<Frame> frame, const MapRequest& request, MapSource source,
                        const Ref<Memory>& payer) {
  // The source's mark is checked first (errors keep their documented order) and claimed only
  // once the page tables are built, so a failed map never shows a mark.
  if (source.handle != 0) {
    TRY(CheckMapMark(source.owner, source.handle, frame.get()));
  }
  MemoryCharge charge =
      TRY(Memory::Charge(payer, sizeof(Mapping) + request.TablePagesBound() * kPageSize));
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

  uapi::Status status = uapi::Status::kOk;
  DeferredTables deferred;
  {
    SpinLockGuard guard(lock_);
    if (mappings_.Overlaps(mapping->base, mapping->size)) {
      status = uapi::Status::kOverlap;
    } else {
      UserPagingEnv env(&deferred);
      UserSpace space(env, root_);
      auto mapped = space.MapRange(mapping->base, phys, mapping->size, attributes, LargestPage());
      if (!mapped.ok()) {
        // The set says the range is free, so only a table allocation can fail. The rollback
        // may have freed tables other CPUs already cached: flush before reusing them.
        status = uapi::Status::kOutOfMemory;
      } else if (source.handle != 0) {
        auto cookie = ClaimMapMark(source.owner, source.handle, frame_object);
        if (cookie.ok()) {
          mapping->mark = MapMark{source.handle, cookie.value()};
        } else {
          status = cookie.error();  // another map through this capability won the race
          UnmapPages(*mapping, &deferred);
        }
      }
      if (status == uapi::Status::kOk) {
        auto inserted = mappings_.Insert(mapping);
        (void)inserted;  // cannot fail: checked for overlap under the same lock
      }
    }
  }
  if (status != uapi::Status::kOk) {
    FlushTlb(root_, mapping->base, mapping->size);
    deferred.Release();
    mapping->~Mapping();  // the frame reference may be the last one: dropped unlocked
    mm::ObjectFree(mapping, sizeof(Mapping));
    return Err(status);
  }
  return Ok();
}

KResult<void> Vmem::Unmap(uint64_t vaddr) {
  Mapping* mapping;
  DeferredTables deferred;
  {
    SpinLockGuard guard(lock_);
    mapping = static_cast<Mapping*>(mappings_.FindExact(vaddr));
    if (mapping == nullptr) return Err(uapi::Status::kNotMapped);
    mappings_.Remove(mapping);
    UnmapPages(*mapping, &deferred);
  }
  // Unlocked (remote CPUs may need locks to answer): after this no CPU can reach the frame or
  // the freed tables through this Vmem.
  FlushTlb(root_, mapping->base, mapping->size);
  deferred.Release();
  ReportMappingRemoved(mapping->mark.handle, mapping->mark.cookie);
  mapping->~Mapping();
  mm::ObjectFree(mapping, sizeof(Mapping));
  return Ok();
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

void Vmem::UnmapPages(const Mapping& mapping, DeferredTables* deferred) {
  UserPagingEnv env(deferred);
  UserSpace space(env, root_);
  uint64_t offset = 0;
  while (offset < mapping.size) {
    // Walk the leaves the mapping was made of (MapRange picked their sizes).
    auto leaf = space.Translate(mapping.base + offset);
    ASSERT(leaf.ok(), "vmem: the mapping set and the page tables disagree");
    auto removed = space.Unmap(mapping.base + offset, leaf.value().size);
    ASSERT(removed.ok(), "vmem: a mapped leaf could not be unmapped");
    offset += paging::Bytes(leaf.value().size);
  }
}

}  // namespace hiillos::object
