// lib/paging/page_table.h — the x86-64 4-level page-table engine (AddressSpace over an Env).
//
// Shared by the UEFI loader (the kernel's first page tables), the kernel VMM and host tests.
// The caller owns the AddressSpace and serialises calls on it (no locking here). The library
// never flushes TLBs: after Unmap/Protect (or Map over a previously-used address) the caller
// issues INVLPG / a shootdown. NX bits need IA32_EFER.NXE = 1 (SDM Vol.3A §4.5) and 1-GByte
// pages need CPUID Page1GB; MapRange's `largest` overload lets callers without 1G support opt out.
#pragma once

#include <stdint.h>

#include "lib/base/result.h"
#include "lib/paging/address.h"
#include "lib/paging/page_table_entry.h"
#include "lib/paging/types.h"

namespace hiillos::paging {

namespace internal {
template <typename A, typename B>
concept SameAs = __is_same(A, B);
}  // namespace internal

// How the library gets zeroed page-table pages and reaches physical memory.
template <typename E>
concept PagingEnv = requires(E& env, uint64_t phys) {
  { env.AllocTablePage() } -> internal::SameAs<Result<uint64_t, Error>>;
  env.FreeTablePage(phys);
  { env.PhysToVirt(phys) } -> internal::SameAs<void*>;
};

template <typename Env>
class AddressSpace {
  static_assert(PagingEnv<Env>, "Env needs AllocTablePage, FreeTablePage and PhysToVirt");

 public:
  // Where `virt` is mapped: the physical address of that byte, the page size of the leaf, and
  // the effective permissions (writable/user only if every level allows it, executable only if
  // no level sets XD; global/uncached from the leaf).
  struct Translation {
    uint64_t phys;
    PageSize size;
    Attributes attrs;
  };

  // Wraps an existing PML4 at `root_phys` (e.g. CR3 or BootInfo::page_table_root).
  AddressSpace(Env& env, uint64_t root_phys) : env_(&env), root_(root_phys) {}

  // Allocates an empty PML4.
  static Result<AddressSpace, Error> Create(Env& env) {
    uint64_t root = TRY(AllocTable(env));
    return AddressSpace(env, root);
  }

  uint64_t root() const { return root_; }

  // Maps one page. Errors: kWriteAndExecute, kNonCanonical, kMisaligned (virt or phys not
  // aligned to `size`, or phys + size beyond 2^52), kAlreadyMapped (anything mapped inside the
  // page), kConflictingPageSize (an empty table sits where a large page would go),
  // kOutOfMemory. On error nothing has changed and no table page has been kept.
  Result<void, Error> Map(uint64_t virt, uint64_t phys, PageSize size, Attributes attrs) {
    TRY(CheckAttributes(attrs));
    if (!IsCanonical(virt)) return Err{Error::kNonCanonical};
    const uint64_t bytes = Bytes(size);
    if ((virt | phys) & (bytes - 1)) return Err{Error::kMisaligned};
    if (phys > kPhysicalAddressLimit - bytes) return Err{Error::kMisaligned};
    const int leaf_level = LeafLevel(size);

    // 1. Read-only walk down to the deepest existing table on the path.
    uint64_t path[4] = {};  // path[level] = physical address of the table at `level`
    path[kLevelPml4] = root_;
    int level = kLevelPml4;
    while (level > leaf_level) {
      PageTableEntry entry = Load(path[level], TableIndex(virt, level));
      if (!entry.present()) break;
      if (entry.IsLeaf(level)) return Err{Error::kAlreadyMapped};  // a larger page covers virt
      path[level - 1] = entry.table_address();
      --level;
    }
    if (level == leaf_level) {
      PageTableEntry entry = Load(path[level], TableIndex(virt, level));
      if (entry.present()) {
        if (entry.IsLeaf(level) || entry.child_count() != 0) {
          return Err{Error::kAlreadyMapped};
        }
        return Err{Error::kConflictingPageSize};
      }
    }

    // 2. Allocate every missing table before touching the tree.
    const int missing = level - leaf_level;
    uint64_t fresh[3] = {};
    for (int i = 0; i < missing; ++i) {
      Result<uint64_t, Error> table = AllocTable(*env_);
      if (!table.ok()) {
        for (int j = 0; j < i; ++j) env_->FreeTablePage(fresh[j]);
        return Err{table.error()};
      }
      fresh[i] = table.value();
    }

    // 3. Commit. Existing intermediates gain U/S for user mappings; new tables are filled bottom
    // up so the walk reaches the leaf only once the final link is written.
    if (attrs.user) {
      for (int l = kLevelPml4; l > level; --l) SetUserOnPath(path[l], TableIndex(virt, l));
    }
    // Each new table holds exactly one entry (the next table down, or the leaf).
    const PageTableEntry leaf = PageTableEntry::Leaf(phys, size, attrs);
    if (missing == 0) {
      Store(path[level], TableIndex(virt, level), leaf);
      AddToCount(path, level, virt, +1);
      return Ok<Error>();
    }
    // fresh[i] is the table at level (level - 1 - i).
    Store(fresh[missing - 1], TableIndex(virt, leaf_level), leaf);
    for (int i = missing - 1; i > 0; --i) {
      Store(fresh[i - 1], TableIndex(virt, level - i),
            PageTableEntry::Table(fresh[i], attrs.user).WithChildCount(1));
    }
    const bool counted = !(level == kLevelPml4 && TableIndex(virt, level) >= kFirstSharedPml4Index);
    Store(path[level], TableIndex(virt, level),
          PageTableEntry::Table(fresh[0], attrs.user).WithChildCount(counted ? 1 : 0));
    AddToCount(path, level, virt, +1);
    return Ok<Error>();
  }

  // Maps [virt, virt + bytes) → [phys, phys + bytes), choosing the largest pages alignment
  // allows (1G/2M/4K; `allow_large` off => 4K only). All 4 KiB aligned; bytes == 0 maps
  // nothing. All or nothing: on error every page this call mapped is unmapped again.
  Result<void, Error> MapRange(uint64_t virt, uint64_t phys, uint64_t bytes, Attributes attrs,
                               bool allow_large = true) {
    return MapRange(virt, phys, bytes, attrs, allow_large ? PageSize::k1G : PageSize::k4K);
  }

  // As above, never using pages larger than `largest` (e.g. k2M on CPUs without Page1GB).
  Result<void, Error> MapRange(uint64_t virt, uint64_t phys, uint64_t bytes, Attributes attrs,
                               PageSize largest) {
    TRY(CheckAttributes(attrs));
    if ((virt | phys | bytes) & (Bytes(PageSize::k4K) - 1)) return Err{Error::kMisaligned};
    if (bytes == 0) return IsCanonical(virt) ? Ok<Error>() : Err{Error::kNonCanonical};
    if (!IsCanonicalRange(virt, bytes)) return Err{Error::kNonCanonical};
    if (phys >= kPhysicalAddressLimit || bytes > kPhysicalAddressLimit - phys) {
      return Err{Error::kMisaligned};
    }
    uint64_t done = 0;
    while (done < bytes) {
      PageSize size = ChunkSize(virt + done, phys + done, bytes - done, largest);
      Result<void, Error> mapped = Map(virt + done, phys + done, size, attrs);
      if (!mapped.ok()) {
        UnmapChunks(virt, phys, bytes, done, largest);
        return mapped;
      }
      done += Bytes(size);
    }
    return Ok<Error>();
  }

  // The largest page (up to `largest`) that fits at (virt, phys) with `remaining` bytes left.
  // (MapRange maps with exactly these leaves; callers that map a range piecewise use it too.)
  static PageSize ChunkSize(uint64_t virt, uint64_t phys, uint64_t remaining, PageSize largest) {
    constexpr PageSize kLargeFirst[] = {PageSize::k1G, PageSize::k2M};
    for (PageSize size : kLargeFirst) {
      if (static_cast<uint8_t>(size) > static_cast<uint8_t>(largest)) continue;
      uint64_t bytes = Bytes(size);
      if (((virt | phys) & (bytes - 1)) == 0 && remaining >= bytes) return size;
    }
    return PageSize::k4K;
  }

  // What Unmap does with a table it leaves empty: free it (and any parent it empties in turn),
  // or keep it linked, with a count of 0, for later mappings (FreeLowerHalfTables frees it).
  enum class EmptyTables : uint8_t { kFree, kKeep };

  // Removes the page of `size` at `virt` and, with kFree, frees table pages left empty (never
  // the root, and never a PDPT hanging off the upper half of the PML4: those are shared by every
  // address space so kernel mappings appear everywhere).
  // Errors: kNonCanonical, kMisaligned, kNotMapped, kConflictingPageSize (mapped with another
  // page size: a 4K page inside a 2M page, or a table of smaller pages where `size` would be).
  Result<void, Error> Unmap(uint64_t virt, PageSize size, EmptyTables empty = EmptyTables::kFree) {
    uint64_t path[4] = {};
    TRY(FindLeaf(virt, size, path));
    const int leaf_level = LeafLevel(size);
    // O(levels): each table's present-entry count lives in the entry pointing at it.
    Store(path[leaf_level], TableIndex(virt, leaf_level), PageTableEntry());
    for (int level = leaf_level; level < kLevelPml4; ++level) {
      if (level + 1 == kLevelPml4 && TableIndex(virt, kLevelPml4) >= kFirstSharedPml4Index) break;
      if (AddToCount(path, level, virt, -1) != 0) break;
      if (empty == EmptyTables::kKeep) break;
      Store(path[level + 1], TableIndex(virt, level + 1), PageTableEntry());
      env_->FreeTablePage(path[level]);
    }
    return Ok<Error>();
  }

  // The end of the lower half (PML4 entries 0..255).
  static constexpr uint64_t kLowerHalfEnd = kFirstSharedPml4Index << (12 + 9 * kLevelPml4);
  // What FreeLowerHalfTables returns once no lower-half table is left (never a resume point:
  // those are at most kLowerHalfEnd).
  static constexpr uint64_t kAllTablesFreed = ~uint64_t{0};

  // Frees the page-table pages below the root that serve the lower half, deepest first,
  // whatever they still map (for tearing down an address space whose leaves the caller has dealt
  // with; the root and the shared upper half stay). Starts at `from` (0 the first time), frees
  // at most `max_tables` tables and returns where to continue (pass it back as `from`), or
  // kAllTablesFreed once nothing is left. Work per call: O(max_tables) walks plus the entries
  // scanned, each entry scanned about once over all calls. The counts of the tables left stay
  // exact.
  uint64_t FreeLowerHalfTables(uint64_t from, uint64_t max_tables) {
    // Invariant: every table whose span lies wholly below `cursor` is freed; the tables whose
    // span holds cursor - 1 (its ancestors) are still there, holding no table up to it.
    uint64_t cursor = from;
    uint64_t freed = 0;
    for (;;) {
      uint64_t path[4] = {};
      uint64_t base[4] = {};  // base[level]: the first address path[level] maps
      path[kLevelPml4] = root_;
      int level = kLevelPml4;
      uint64_t first = 0;  // the entry of path[level] to look from
      if (cursor != 0) {
        // Down the path of the last address done, as far as tables go.
        const uint64_t last = cursor - 1;
        while (level > kLevelPt) {
          PageTableEntry entry = Load(path[level], TableIndex(last, level));
          if (!entry.present() || entry.IsLeaf(level)) break;
          path[level - 1] = entry.table_address();
          base[level - 1] = base[level] + TableIndex(last, level) * EntrySpan(level);
          --level;
        }
        first = TableIndex(last, level) + 1;
      }
      // Then down the first table after it, at each level, to one that holds no table.
      for (;;) {
        const uint64_t end = level == kLevelPml4 ? kFirstSharedPml4Index : kEntriesPerTable;
        uint64_t found = end;
        for (uint64_t i = first; level > kLevelPt && i < end; ++i) {
          PageTableEntry entry = Load(path[level], i);
          if (entry.present() && !entry.IsLeaf(level)) {
            found = i;
            path[level - 1] = entry.table_address();
            break;
          }
        }
        if (found == end) break;
        base[level - 1] = base[level] + found * EntrySpan(level);
        --level;
        first = 0;
      }
      if (level == kLevelPml4) return kAllTablesFreed;  // no table left below the root
      if (freed == max_tables) return cursor;
      // path[level] holds no table any more: free it, and continue after its span.
      Store(path[level + 1], TableIndex(base[level], level + 1), PageTableEntry());
      AddToCount(path, level + 1, base[level], -1);
      env_->FreeTablePage(path[level]);
      ++freed;
      cursor = base[level] + EntrySpan(level + 1);
    }
  }

  // Replaces the permissions of the page of `size` at `virt` (address, A and D are kept).
  // Errors: kWriteAndExecute, kNonCanonical, kMisaligned, kNotMapped, kConflictingPageSize.
  Result<void, Error> Protect(uint64_t virt, PageSize size, Attributes attrs) {
    TRY(CheckAttributes(attrs));
    uint64_t path[4] = {};
    TRY(FindLeaf(virt, size, path));
    const int leaf_level = LeafLevel(size);
    if (attrs.user) {
      for (int l = kLevelPml4; l > leaf_level; --l) SetUserOnPath(path[l], TableIndex(virt, l));
    }
    uint64_t* slot = Slot(path[leaf_level], TableIndex(virt, leaf_level));
    uint64_t old_raw = __atomic_load_n(slot, __ATOMIC_RELAXED);
    for (;;) {  // a CPU may set A/D concurrently (SDM Vol.3A §4.8): keep them
      PageTableEntry updated(old_raw);
      updated.SetAttributes(attrs);
      if (__atomic_compare_exchange_n(slot, &old_raw, updated.raw(), false, __ATOMIC_RELAXED,
                                      __ATOMIC_RELAXED)) {
        break;
      }
    }
    return Ok<Error>();
  }

  // Errors: kNonCanonical, kNotMapped.
  Result<Translation, Error> Translate(uint64_t virt) const {
    if (!IsCanonical(virt)) return Err{Error::kNonCanonical};
    uint64_t table = root_;
    bool writable = true;
    bool user = true;
    bool executable = true;
    for (int level = kLevelPml4; level >= kLevelPt; --level) {
      PageTableEntry entry = Load(table, TableIndex(virt, level));
      if (!entry.present()) return Err{Error::kNotMapped};
      writable = writable && entry.writable();
      user = user && entry.user();
      executable = executable && !entry.no_execute();
      if (entry.IsLeaf(level)) {
        PageSize size = PageTableEntry::LeafSize(level);
        Attributes attrs = entry.attributes();
        attrs.writable = writable;
        attrs.user = user;
        attrs.executable = executable;
        return Translation{entry.page_address(size) + PageOffset(virt, size), size, attrs};
      }
      table = entry.table_address();
    }
    return Err{Error::kNotMapped};  // unreachable: the PT level always holds leaves
  }

 private:
  static Result<void, Error> CheckAttributes(Attributes attrs) {
    if (attrs.writable && attrs.executable) return Err{Error::kWriteAndExecute};
    return Ok<Error>();
  }

  // A fresh table page: zeroed here too (cheap, and the loader's firmware pages are not).
  static Result<uint64_t, Error> AllocTable(Env& env) {
    uint64_t phys = TRY(env.AllocTablePage());
    if ((phys & (kTableBytes - 1)) != 0 || phys >= kPhysicalAddressLimit) {
      env.FreeTablePage(phys);
      return Err{Error::kOutOfMemory};
    }
    __builtin_memset(env.PhysToVirt(phys), 0, kTableBytes);
    return phys;
  }

  // Bytes one entry of a table at `level` maps (4 KiB at the PT level).
  static constexpr uint64_t EntrySpan(int level) { return uint64_t{1} << (12 + 9 * level); }

  uint64_t* Slot(uint64_t table_phys, uint64_t index) const {
    return static_cast<uint64_t*>(env_->PhysToVirt(table_phys)) + index;
  }
  // Entries are read and written whole (the CPU's walker reads them concurrently).
  PageTableEntry Load(uint64_t table_phys, uint64_t index) const {
    return PageTableEntry(__atomic_load_n(Slot(table_phys, index), __ATOMIC_RELAXED));
  }
  void Store(uint64_t table_phys, uint64_t index, PageTableEntry entry) {
    __atomic_store_n(Slot(table_phys, index), entry.raw(), __ATOMIC_RELEASE);
  }
  void SetUserOnPath(uint64_t table_phys, uint64_t index) {
    __atomic_fetch_or(Slot(table_phys, index), PageTableEntry::kUser, __ATOMIC_RELAXED);
  }

  // Adds `delta` to the present-entry count of the table path[level] (kept in the entry of
  // path[level + 1] that points at it) and returns the new count. The root has no such entry,
  // and the PDPTs of the shared upper half are never freed (their PML4 entries are copied into
  // every address space), so neither is counted: 1 is returned (never "empty"). The update is
  // atomic so that an accessed bit the CPU sets in the same entry meanwhile is kept.
  uint32_t AddToCount(const uint64_t (&path)[4], int level, uint64_t virt, int delta) {
    if (level >= kLevelPml4) return 1;
    const uint64_t index = TableIndex(virt, level + 1);
    if (level + 1 == kLevelPml4 && index >= kFirstSharedPml4Index) return 1;
    uint64_t* slot = Slot(path[level + 1], index);
    const uint64_t step = uint64_t{1} << PageTableEntry::kChildCountShift;
    uint64_t after = delta > 0 ? __atomic_add_fetch(slot, step, __ATOMIC_RELAXED)
                               : __atomic_sub_fetch(slot, step, __ATOMIC_RELAXED);
    return PageTableEntry(after).child_count();
  }

  // Walks to the leaf of exactly `size` at `virt`; fills path[level] with each table's address.
  Result<void, Error> FindLeaf(uint64_t virt, PageSize size, uint64_t (&path)[4]) const {
    if (!IsCanonical(virt)) return Err{Error::kNonCanonical};
    if (virt & (Bytes(size) - 1)) return Err{Error::kMisaligned};
    const int leaf_level = LeafLevel(size);
    path[kLevelPml4] = root_;
    for (int level = kLevelPml4; level > leaf_level; --level) {
      PageTableEntry entry = Load(path[level], TableIndex(virt, level));
      if (!entry.present()) return Err{Error::kNotMapped};
      if (entry.IsLeaf(level)) return Err{Error::kConflictingPageSize};
      path[level - 1] = entry.table_address();
    }
    PageTableEntry leaf = Load(path[leaf_level], TableIndex(virt, leaf_level));
    if (!leaf.present()) return Err{Error::kNotMapped};
    if (!leaf.IsLeaf(leaf_level)) return Err{Error::kConflictingPageSize};
    return Ok<Error>();
  }

  // Rolls back the first `done` bytes of a MapRange (same chunking as the forward pass).
  void UnmapChunks(uint64_t virt, uint64_t phys, uint64_t bytes, uint64_t done, PageSize largest) {
    uint64_t offset = 0;
    while (offset < done) {
      PageSize size = ChunkSize(virt + offset, phys + offset, bytes - offset, largest);
      (void)Unmap(virt + offset, size);  // cannot fail: this call mapped it
      offset += Bytes(size);
    }
  }

  Env* env_;
  uint64_t root_;
};

}  // namespace hiillos::paging
