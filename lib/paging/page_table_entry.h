// lib/paging/page_table_entry.h — typed accessors for one x86-64 paging-structure entry.
//
// Layouts from Intel SDM Vol.3A §4.5 (4-level paging), Tables 4-14 (PML4E), 4-15 (PDPTE mapping
// a 1-GByte page), 4-16 (PDPTE referencing a page directory), 4-17 (PDE mapping a 2-MByte page),
// 4-18 (PDE referencing a page table) and 4-19 (PTE mapping a 4-KByte page).
#pragma once

#include <stdint.h>

#include "lib/paging/address.h"
#include "lib/paging/types.h"

namespace hiillos::paging {

class PageTableEntry {
 public:
  // Bit positions shared by all levels unless noted (SDM Vol.3A Tables 4-14 .. 4-19).
  static constexpr uint64_t kPresent = 1ull << 0;       // P
  static constexpr uint64_t kWritable = 1ull << 1;      // R/W: 0 = writes not allowed
  static constexpr uint64_t kUser = 1ull << 2;          // U/S: 1 = user-mode accesses allowed
  static constexpr uint64_t kWriteThrough = 1ull << 3;  // PWT
  static constexpr uint64_t kCacheDisable = 1ull << 4;  // PCD
  static constexpr uint64_t kAccessed = 1ull << 5;      // A
  static constexpr uint64_t kDirty = 1ull << 6;         // D (leaf entries only)
  // PS in a PDPTE/PDE: 1 = this entry maps a 1-GByte/2-MByte page. Must be 0 in a PML4E
  // (reserved); in a PTE bit 7 is PAT instead.
  static constexpr uint64_t kPageSize = 1ull << 7;
  static constexpr uint64_t kGlobal = 1ull << 8;  // G (leaf entries only, with CR4.PGE)
  // PAT bit of a large-page leaf (bit 12; Tables 4-15, 4-17).
  static constexpr uint64_t kLargePat = 1ull << 12;
  // XD: instruction fetches not allowed when IA32_EFER.NXE = 1 (otherwise bit 63 is reserved).
  static constexpr uint64_t kNoExecute = 1ull << 63;
  // Physical-address fields: bits 51:12 for tables and 4-KByte pages, 51:21 for 2-MByte pages,
  // 51:30 for 1-GByte pages (bits above MAXPHYADDR must be 0).
  static constexpr uint64_t kAddressMask = 0x000f'ffff'ffff'f000ull;
  static constexpr uint64_t kAddressMask2M = 0x000f'ffff'ffe0'0000ull;
  static constexpr uint64_t kAddressMask1G = 0x000f'ffff'c000'0000ull;
  // Software field of a table-referencing entry: how many present entries the table it points
  // at holds (0..512), in bits 61:52, which the CPU ignores in non-leaf entries (SDM Vol.3A
  // Tables 4-14, 4-16, 4-18). lib/paging keeps it exact so that telling whether a table became
  // empty costs O(1) instead of a scan of its 512 entries. Never set in leaves.
  static constexpr int kChildCountShift = 52;
  static constexpr uint64_t kChildCountMask = 0x3ffull << kChildCountShift;

  constexpr PageTableEntry() = default;
  constexpr explicit PageTableEntry(uint64_t raw) : raw_(raw) {}

  // An entry referencing the next-level table at `table_phys` (Tables 4-14, 4-16, 4-18):
  // present + writable, + user when a user mapping lives below. Permissions are on the leaf.
  static constexpr PageTableEntry Table(uint64_t table_phys, bool user) {
    PageTableEntry entry((table_phys & kAddressMask) | kPresent | kWritable);
    entry.set_user(user);
    return entry;
  }

  // A leaf mapping `phys` as a page of `size` (Tables 4-15, 4-17, 4-19). Non-executable pages
  // get XD. The caller has checked W^X and alignment.
  static constexpr PageTableEntry Leaf(uint64_t phys, PageSize size, Attributes attrs) {
    PageTableEntry entry((phys & AddressMask(size)) | kPresent);
    if (size != PageSize::k4K) entry.raw_ |= kPageSize;
    entry.SetAttributes(attrs);
    return entry;
  }

  static constexpr uint64_t AddressMask(PageSize size) {
    switch (size) {
      case PageSize::k4K:
        return kAddressMask;
      case PageSize::k2M:
        return kAddressMask2M;
      case PageSize::k1G:
        return kAddressMask1G;
    }
    return kAddressMask;
  }

  constexpr uint64_t raw() const { return raw_; }

  constexpr bool present() const { return Get(kPresent); }
  constexpr bool writable() const { return Get(kWritable); }
  constexpr bool user() const { return Get(kUser); }
  constexpr bool write_through() const { return Get(kWriteThrough); }
  constexpr bool cache_disable() const { return Get(kCacheDisable); }
  constexpr bool accessed() const { return Get(kAccessed); }
  constexpr bool dirty() const { return Get(kDirty); }
  constexpr bool page_size() const { return Get(kPageSize); }
  constexpr bool global() const { return Get(kGlobal); }
  constexpr bool no_execute() const { return Get(kNoExecute); }

  constexpr void set_present(bool on) { Set(kPresent, on); }
  constexpr void set_writable(bool on) { Set(kWritable, on); }
  constexpr void set_user(bool on) { Set(kUser, on); }
  constexpr void set_write_through(bool on) { Set(kWriteThrough, on); }
  constexpr void set_cache_disable(bool on) { Set(kCacheDisable, on); }
  constexpr void set_accessed(bool on) { Set(kAccessed, on); }
  constexpr void set_dirty(bool on) { Set(kDirty, on); }
  constexpr void set_global(bool on) { Set(kGlobal, on); }
  constexpr void set_no_execute(bool on) { Set(kNoExecute, on); }

  // True when this present entry at `level` maps a page rather than referencing a table:
  // always at the PT, when PS = 1 at the PDPT/PD, never at the PML4.
  constexpr bool IsLeaf(int level) const {
    if (level == kLevelPt) return true;
    if (level == kLevelPml4) return false;
    return page_size();
  }

  // The page size a leaf at `level` maps (level must be PT, PD or PDPT).
  static constexpr PageSize LeafSize(int level) {
    return level == kLevelPdpt ? PageSize::k1G : level == kLevelPd ? PageSize::k2M : PageSize::k4K;
  }

  // Present entries in the table this (non-leaf) entry references; see kChildCountMask.
  constexpr uint32_t child_count() const {
    return static_cast<uint32_t>((raw_ & kChildCountMask) >> kChildCountShift);
  }
  constexpr PageTableEntry WithChildCount(uint32_t count) const {
    return PageTableEntry((raw_ & ~kChildCountMask) |
                          ((static_cast<uint64_t>(count) << kChildCountShift) & kChildCountMask));
  }

  // Physical address of the next-level table (non-leaf entries).
  constexpr uint64_t table_address() const { return raw_ & kAddressMask; }
  // Physical base of the page a leaf of `size` maps (skips the PAT bit of large pages).
  constexpr uint64_t page_address(PageSize size) const { return raw_ & AddressMask(size); }

  // The permissions a leaf grants on its own.
  constexpr Attributes attributes() const {
    Attributes attrs;
    attrs.writable = writable();
    attrs.executable = !no_execute();
    attrs.user = user();
    attrs.global = global();
    attrs.uncached = cache_disable();
    return attrs;
  }

  // Rewrites the permission and caching bits of a leaf; keeps address, PS, A and D.
  constexpr void SetAttributes(Attributes attrs) {
    set_writable(attrs.writable);
    set_no_execute(!attrs.executable);
    set_user(attrs.user);
    set_global(attrs.global);
    set_cache_disable(attrs.uncached);
    set_write_through(attrs.uncached);
  }

  friend constexpr bool operator==(PageTableEntry, PageTableEntry) = default;

 private:
  constexpr bool Get(uint64_t bit) const { return (raw_ & bit) != 0; }
  constexpr void Set(uint64_t bit, bool on) { raw_ = on ? (raw_ | bit) : (raw_ & ~bit); }

  uint64_t raw_ = 0;
};
static_assert(sizeof(PageTableEntry) == 8);

}  // namespace hiillos::paging
