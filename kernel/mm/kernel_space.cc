// kernel/mm/kernel_space.cc — builds and edits the kernel page tables with lib/paging.
#include "kernel/mm/kernel_space.h"

#include "kernel/arch/address_space.h"
#include "kernel/arch/spinlock.h"
#include "kernel/lib/log.h"
#include "kernel/mm/paging_env.h"
#include "kernel/mm/pmm.h"
#include "lib/base/page_size.h"
#include "lib/paging/page_table.h"
#include "lib/paging/page_table_entry.h"

// Section bounds from kernel/arch/x86_64/kernel.ld.
extern "C" char __text_start[], __text_end[], __rodata_start[], __rodata_end[], __data_start[],
    __data_end[];

namespace hiillos::mm {
namespace {

using paging::AddressSpace;
using paging::Attributes;
using paging::PageSize;

IrqSpinLock g_lock;
KernelPagingEnv g_env;
uint64_t g_root = 0;

Result<void, paging::Error> MapSection(AddressSpace<KernelPagingEnv>& space,
                                       const uapi::BootInfo& info, const char* start,
                                       const char* end, Attributes attrs) {
  uint64_t virt = reinterpret_cast<uint64_t>(start);
  uint64_t bytes = (reinterpret_cast<uint64_t>(end) - virt + 0xfff) & ~0xfffull;
  if (bytes == 0) return {};
  uint64_t phys = info.kernel_phys_base + (virt - info.kernel_virt_base);
  return space.MapRange(virt, phys, bytes, attrs, PageSize::k4K);
}

// Every upper-half PML4 entry points at a (possibly empty) PDPT, so kernel mappings made later
// show up in all address spaces that copied entries 256..511.
Result<void, paging::Error> PopulateUpperHalf(uint64_t root) {
  auto* pml4 = static_cast<uint64_t*>(PhysToVirt(root));
  for (unsigned i = 256; i < 512; ++i) {
    if (pml4[i] & paging::PageTableEntry::kPresent) continue;
    uint64_t table = TRY(g_env.AllocTablePage());
    pml4[i] = paging::PageTableEntry::Table(table, false).raw();
  }
  return {};
}

}  // namespace

Result<void, paging::Error> KernelSpaceInit(const uapi::BootInfo& info) {
  auto space = TRY(AddressSpace<KernelPagingEnv>::Create(g_env));
  TRY(MapSection(space, info, __text_start, __text_end, {.executable = true, .global = true}));
  TRY(MapSection(space, info, __rodata_start, __rodata_end, {.global = true}));
  TRY(MapSection(space, info, __data_start, __data_end, {.writable = true, .global = true}));
  // HHDM: everything up to the highest address in the map, at least 4 GiB (LAPIC, IOAPIC, HPET).
  uint64_t highest = 4ull << 30;
  for (uint32_t i = 0; i < info.memory_range_count; ++i) {
    uint64_t end = info.memory_map[i].base + info.memory_map[i].size;
    if (end > highest) highest = end;
  }
  highest = (highest + (1ull << 30) - 1) & ~((1ull << 30) - 1);
  PageSize largest = arch::HasGigabytePages() ? PageSize::k1G : PageSize::k2M;
  TRY(space.MapRange(uapi::kHhdmBase, 0, highest, {.writable = true, .global = true}, largest));
  TRY(PopulateUpperHalf(space.root()));
  g_root = space.root();
  arch::SwitchAddressSpace(g_root);
  klog::Log("mm", "kernel page tables at %#lx: image W^X, HHDM %lu GiB (%s pages)", g_root,
            highest >> 30, largest == PageSize::k1G ? "1 GiB" : "2 MiB");
  return {};
}

Result<void, paging::Error> KernelMap(uint64_t virt, uint64_t phys, uint64_t bytes,
                                      Attributes attrs) {
  IrqSpinLockGuard guard(g_lock);
  AddressSpace<KernelPagingEnv> space(g_env, g_root);
  return space.MapRange(virt, phys, bytes, attrs, PageSize::k4K);
}

// Unmap and Protect change the tables under the lock, then shoot the range down on every CPU
// after releasing it (arch/x86_64/tlb.h: a CPU spinning on this lock with interrupts off could
// not answer the shootdown IPI). The caller owns the range, so nobody uses it in between; it must
// not reuse the old physical pages before this returns.
Result<void, paging::Error> KernelUnmap(uint64_t virt, uint64_t bytes) {
  Result<void, paging::Error> result;
  uint64_t done = 0;
  DeferredTablePages emptied;  // freed only after every CPU dropped its cached walks
  {
    IrqSpinLockGuard guard(g_lock);
    KernelPagingEnv env{&emptied};
    AddressSpace<KernelPagingEnv> space(env, g_root);
    for (; done < bytes; done += kPageSize) {
      auto unmapped = space.Unmap(virt + done, PageSize::k4K);
      if (!unmapped.ok()) {
        result = Err(unmapped.error());
        break;
      }
    }
  }
  arch::KernelTlbShootdown(virt, done / kPageSize);
  emptied.Release();
  return result;
}

Result<void, paging::Error> KernelProtect(uint64_t virt, uint64_t bytes, Attributes attrs) {
  Result<void, paging::Error> result;
  uint64_t done = 0;
  {
    IrqSpinLockGuard guard(g_lock);
    AddressSpace<KernelPagingEnv> space(g_env, g_root);
    for (; done < bytes; done += kPageSize) {
      auto protected_page = space.Protect(virt + done, PageSize::k4K, attrs);
      if (!protected_page.ok()) {
        result = Err(protected_page.error());
        break;
      }
    }
  }
  arch::KernelTlbShootdown(virt, done / kPageSize);
  return result;
}

Result<KernelTranslation, paging::Error> KernelTranslate(uint64_t virt) {
  IrqSpinLockGuard guard(g_lock);
  AddressSpace<KernelPagingEnv> space(g_env, g_root);
  auto translation = TRY(space.Translate(virt));
  return KernelTranslation{translation.phys, translation.size, translation.attrs};
}

uint64_t KernelPageTableRoot() {
  return g_root;
}

}  // namespace hiillos::mm
