// lib/paging/page_table_test.cc — host tests of AddressSpace against simulated physical memory.
#include "lib/paging/page_table.h"

#include <gtest/gtest.h>

#include <map>
#include <random>

#include "lib/paging/test_env.h"

namespace hiillos::paging {
namespace {

constexpr uint64_t k4K = 0x1000;
constexpr uint64_t k2M = 0x20'0000;
constexpr uint64_t k1G = 0x4000'0000;
constexpr Attributes kRw{.writable = true};
constexpr Attributes kRx{.executable = true};
constexpr Attributes kRo{};

using Space = AddressSpace<TestEnv>;

// Raw entry for `virt` at `level`, walking from `root` (0 if the walk stops before).
uint64_t RawEntry(TestEnv& env, uint64_t root, uint64_t virt, int level) {
  uint64_t table = root;
  for (int l = kLevelPml4; l > level; --l) {
    uint64_t entry = env.Entry(table, TableIndex(virt, l));
    if (!(entry & PageTableEntry::kPresent)) return 0;
    table = entry & PageTableEntry::kAddressMask;
  }
  return env.Entry(table, TableIndex(virt, level));
}

// Checks that every counted table-referencing entry below `table` (at `level`) holds the exact
// number of present entries of the table it points at; returns the number of mismatches.
// Entries of the shared upper half of the root are not counted (see AddToCount).
int CountMismatches(TestEnv& env, uint64_t table, int level) {
  int mismatches = 0;
  for (uint64_t i = 0; i < kEntriesPerTable; ++i) {
    PageTableEntry entry(env.Entry(table, i));
    if (!entry.present() || entry.IsLeaf(level)) continue;
    uint64_t child = entry.table_address();
    uint32_t present = 0;
    for (uint64_t j = 0; j < kEntriesPerTable; ++j) {
      if (PageTableEntry(env.Entry(child, j)).present()) ++present;
    }
    bool counted = !(level == kLevelPml4 && i >= kFirstSharedPml4Index);
    if (counted && entry.child_count() != present) ++mismatches;
    if (!counted && entry.child_count() != 0) ++mismatches;
    if (level - 1 > kLevelPt) mismatches += CountMismatches(env, child, level - 1);
  }
  return mismatches;
}

class PageTableTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Result<Space, Error> created = Space::Create(env_);
    ASSERT_TRUE(created.ok());
    space_ = new Space(created.value());
    baseline_ = env_.pages_in_use();
    ASSERT_EQ(baseline_, 1);
  }
  void TearDown() override {
    EXPECT_EQ(env_.misuse(), 0);
    delete space_;
  }

  TestEnv env_{512};
  Space* space_ = nullptr;
  int64_t baseline_ = 0;
};

TEST(AddressTest, DecomposeAndCanonical) {
  VirtualAddressParts parts = Decompose(0xffff'ffff'8020'1abcull);
  EXPECT_EQ(parts.pml4, 511);
  EXPECT_EQ(parts.pdpt, 510);
  EXPECT_EQ(parts.pd, 1);
  EXPECT_EQ(parts.pt, 1);
  EXPECT_EQ(parts.offset, 0xabc);
  EXPECT_EQ(Compose(parts), 0xffff'ffff'8020'1abcull);
  EXPECT_EQ(Compose(Decompose(0x0000'7fff'ffff'ffffull)), 0x0000'7fff'ffff'ffffull);

  EXPECT_TRUE(IsCanonical(0));
  EXPECT_TRUE(IsCanonical(0x0000'7fff'ffff'ffffull));
  EXPECT_FALSE(IsCanonical(0x0000'8000'0000'0000ull));
  EXPECT_FALSE(IsCanonical(0xffff'7fff'ffff'ffffull));
  EXPECT_TRUE(IsCanonical(0xffff'8000'0000'0000ull));
  EXPECT_TRUE(IsCanonical(~0ull));
  EXPECT_FALSE(IsCanonical(0x8000'0000'0000'0000ull));

  EXPECT_TRUE(IsCanonicalRange(0x0000'7fff'ffff'f000ull, k4K));
  EXPECT_FALSE(IsCanonicalRange(0x0000'7fff'ffff'f000ull, 2 * k4K));  // runs into the hole
  EXPECT_FALSE(IsCanonicalRange(0xffff'ffff'ffff'f000ull, 2 * k4K));  // wraps
  EXPECT_FALSE(IsCanonicalRange(0x1000, 0));
  EXPECT_TRUE(IsCanonicalRange(0xffff'8000'0000'0000ull, 1ull << 47));
}

TEST(PageTableEntryTest, BitsFollowTheSdm) {
  PageTableEntry leaf = PageTableEntry::Leaf(0x1234'5000, PageSize::k4K, kRw);
  EXPECT_EQ(leaf.raw(), 0x1234'5000ull | 1 | 2 | (1ull << 63));
  EXPECT_TRUE(leaf.present());
  EXPECT_TRUE(leaf.writable());
  EXPECT_TRUE(leaf.no_execute());
  EXPECT_FALSE(leaf.user());
  EXPECT_TRUE(leaf.IsLeaf(kLevelPt));

  PageTableEntry big = PageTableEntry::Leaf(0x4000'0000, PageSize::k2M,
                                            {.executable = true, .user = true, .global = true});
  EXPECT_TRUE(big.page_size());
  EXPECT_TRUE(big.IsLeaf(kLevelPd));
  EXPECT_FALSE(big.no_execute());
  EXPECT_TRUE(big.global());
  EXPECT_TRUE(big.user());
  EXPECT_FALSE(big.writable());

  PageTableEntry uc = PageTableEntry::Leaf(0xfee0'0000, PageSize::k4K, {.uncached = true});
  EXPECT_TRUE(uc.cache_disable());
  EXPECT_TRUE(uc.write_through());
  EXPECT_TRUE(uc.attributes().uncached);

  // The PAT bit (12) of a large page is not part of its address.
  PageTableEntry with_pat(0x4000'0000ull | PageTableEntry::kLargePat | PageTableEntry::kPageSize |
                          PageTableEntry::kPresent);
  EXPECT_EQ(with_pat.page_address(PageSize::k2M), 0x4000'0000ull);
  EXPECT_EQ(with_pat.page_address(PageSize::k1G), 0x4000'0000ull);

  PageTableEntry table = PageTableEntry::Table(0xabc'd000, /*user=*/false);
  EXPECT_EQ(table.raw(), 0xabc'd000ull | 3);
  EXPECT_FALSE(table.IsLeaf(kLevelPml4));
  EXPECT_FALSE(table.IsLeaf(kLevelPd));

  PageTableEntry e;
  e.set_accessed(true);
  e.set_dirty(true);
  e.SetAttributes(kRx);
  EXPECT_TRUE(e.accessed() && e.dirty());
  e.set_dirty(false);
  EXPECT_FALSE(e.dirty());
}

TEST_F(PageTableTest, Map4KAndTranslate) {
  const uint64_t virt = 0x0000'1234'5678'9000ull;
  ASSERT_TRUE(space_->Map(virt, 0xabc'd000, PageSize::k4K, kRw).ok());
  EXPECT_EQ(env_.pages_in_use(), baseline_ + 3);  // PDPT, PD, PT

  auto t = space_->Translate(virt + 0x123);
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t.value().phys, 0xabc'd123ull);
  EXPECT_EQ(t.value().size, PageSize::k4K);
  EXPECT_EQ(t.value().attrs, kRw);

  EXPECT_EQ(space_->Translate(virt + k4K).error(), Error::kNotMapped);
  EXPECT_EQ(space_->Translate(virt - k4K).error(), Error::kNotMapped);
  EXPECT_EQ(space_->Translate(0x0000'8000'0000'0000ull).error(), Error::kNonCanonical);

  // A neighbour shares all three tables.
  ASSERT_TRUE(space_->Map(virt + k4K, 0x5000, PageSize::k4K, kRo).ok());
  EXPECT_EQ(env_.pages_in_use(), baseline_ + 3);
}

TEST_F(PageTableTest, Map2MAnd1G) {
  ASSERT_TRUE(space_->Map(0x4020'0000, 0x8000'0000, PageSize::k2M, kRx).ok());
  EXPECT_EQ(env_.pages_in_use(), baseline_ + 2);  // PDPT, PD
  ASSERT_TRUE(space_->Map(0x80'0000'0000ull, 0x1'4000'0000ull, PageSize::k1G, kRw).ok());
  EXPECT_EQ(env_.pages_in_use(), baseline_ + 3);  // + PDPT

  auto t2 = space_->Translate(0x4020'0000 + 0x1f'f123);
  ASSERT_TRUE(t2.ok());
  EXPECT_EQ(t2.value().phys, 0x8000'0000ull + 0x1f'f123);
  EXPECT_EQ(t2.value().size, PageSize::k2M);
  EXPECT_EQ(t2.value().attrs, kRx);

  auto t1 = space_->Translate(0x80'0000'0000ull + 0x3fff'ffff);
  ASSERT_TRUE(t1.ok());
  EXPECT_EQ(t1.value().phys, 0x1'4000'0000ull + 0x3fff'ffff);
  EXPECT_EQ(t1.value().size, PageSize::k1G);

  uint64_t pde = RawEntry(env_, space_->root(), 0x4020'0000, kLevelPd);
  EXPECT_TRUE(pde & PageTableEntry::kPageSize);
  uint64_t pdpte = RawEntry(env_, space_->root(), 0x80'0000'0000ull, kLevelPdpt);
  EXPECT_TRUE(pdpte & PageTableEntry::kPageSize);
  EXPECT_EQ(pdpte & PageTableEntry::kAddressMask1G, 0x1'4000'0000ull);
}

TEST_F(PageTableTest, HigherHalfMapping) {
  const uint64_t kernel = 0xffff'ffff'8000'0000ull;
  ASSERT_TRUE(
      space_->Map(kernel, 0x20'0000, PageSize::k2M, {.executable = true, .global = true}).ok());
  auto t = space_->Translate(kernel + 0x10);
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t.value().phys, 0x20'0010ull);
  EXPECT_TRUE(t.value().attrs.global);
  EXPECT_EQ(env_.Entry(space_->root(), 511) & 1, 1u);
  EXPECT_EQ(env_.Entry(space_->root(), 0) & 1, 0u);
}

TEST_F(PageTableTest, NoExecuteBitOnNonExecutablePages) {
  ASSERT_TRUE(space_->Map(0x1000, 0x1000, PageSize::k4K, kRw).ok());
  ASSERT_TRUE(space_->Map(0x2000, 0x2000, PageSize::k4K, kRx).ok());
  ASSERT_TRUE(space_->Map(0x3000, 0x3000, PageSize::k4K, kRo).ok());
  EXPECT_TRUE(RawEntry(env_, space_->root(), 0x1000, kLevelPt) & PageTableEntry::kNoExecute);
  EXPECT_FALSE(RawEntry(env_, space_->root(), 0x2000, kLevelPt) & PageTableEntry::kNoExecute);
  EXPECT_TRUE(RawEntry(env_, space_->root(), 0x3000, kLevelPt) & PageTableEntry::kNoExecute);
  EXPECT_FALSE(RawEntry(env_, space_->root(), 0x3000, kLevelPt) & PageTableEntry::kWritable);
  // Intermediates are present + writable, never NX, not user for kernel mappings.
  for (int level : {kLevelPml4, kLevelPdpt, kLevelPd}) {
    uint64_t entry = RawEntry(env_, space_->root(), 0x1000, level);
    EXPECT_EQ(entry & (PageTableEntry::kPresent | PageTableEntry::kWritable), 3u);
    EXPECT_FALSE(entry & PageTableEntry::kNoExecute);
    EXPECT_FALSE(entry & PageTableEntry::kUser);
  }
}

TEST_F(PageTableTest, UserMappingsSetUserOnIntermediates) {
  ASSERT_TRUE(space_->Map(0x40'0000, 0x9000, PageSize::k4K, kRo).ok());  // kernel-only first
  auto kernel_only = space_->Translate(0x40'0000);
  ASSERT_TRUE(kernel_only.ok());
  EXPECT_FALSE(kernel_only.value().attrs.user);
  ASSERT_TRUE(space_->Map(0x40'1000, 0xa000, PageSize::k4K, {.user = true}).ok());
  for (int level : {kLevelPml4, kLevelPdpt, kLevelPd}) {
    EXPECT_TRUE(RawEntry(env_, space_->root(), 0x40'1000, level) & PageTableEntry::kUser);
  }
  auto user = space_->Translate(0x40'1000);
  ASSERT_TRUE(user.ok());
  EXPECT_TRUE(user.value().attrs.user);
  // The kernel page's leaf still says supervisor.
  auto still_kernel_only = space_->Translate(0x40'0000);
  ASSERT_TRUE(still_kernel_only.ok());
  EXPECT_FALSE(still_kernel_only.value().attrs.user);
}

TEST_F(PageTableTest, TranslateReportsEffectivePermissions) {
  ASSERT_TRUE(space_->Map(0x1000, 0x1000, PageSize::k4K, {.writable = true, .user = true}).ok());
  // Someone else's table (say the firmware's) restricts writes at the PD level.
  uint64_t pdpte = RawEntry(env_, space_->root(), 0x1000, kLevelPdpt);
  uint64_t pd = pdpte & PageTableEntry::kAddressMask;
  env_.Entry(pd, 0) &= ~PageTableEntry::kWritable;
  env_.Entry(pd, 0) |= PageTableEntry::kNoExecute;
  auto t = space_->Translate(0x1000);
  ASSERT_TRUE(t.ok());
  EXPECT_FALSE(t.value().attrs.writable);
  EXPECT_FALSE(t.value().attrs.executable);
  EXPECT_TRUE(t.value().attrs.user);
}

TEST_F(PageTableTest, WriteAndExecuteIsRejected) {
  const Attributes wx{.writable = true, .executable = true};
  EXPECT_EQ(space_->Map(0x1000, 0x1000, PageSize::k4K, wx).error(), Error::kWriteAndExecute);
  EXPECT_EQ(space_->MapRange(0x1000, 0x1000, 4 * k4K, wx).error(), Error::kWriteAndExecute);
  ASSERT_TRUE(space_->Map(0x1000, 0x1000, PageSize::k4K, kRx).ok());
  EXPECT_EQ(space_->Protect(0x1000, PageSize::k4K, wx).error(), Error::kWriteAndExecute);
  EXPECT_EQ(space_->Translate(0x1000).value().attrs, kRx);
  EXPECT_EQ(env_.pages_in_use(), baseline_ + 3);
}

TEST_F(PageTableTest, OverlapIsAlreadyMapped) {
  ASSERT_TRUE(space_->Map(0x20'0000, 0x1000, PageSize::k4K, kRw).ok());
  EXPECT_EQ(space_->Map(0x20'0000, 0x2000, PageSize::k4K, kRw).error(), Error::kAlreadyMapped);
  EXPECT_EQ(space_->Translate(0x20'0000).value().phys, 0x1000u);  // not overwritten
  // A 2M page over a table holding a 4K page, and a 1G page over that.
  EXPECT_EQ(space_->Map(0x20'0000, 0x40'0000, PageSize::k2M, kRw).error(), Error::kAlreadyMapped);
  EXPECT_EQ(space_->Map(0, 0x4000'0000, PageSize::k1G, kRw).error(), Error::kAlreadyMapped);

  // 4K and 2M inside an existing 1G / 2M page.
  ASSERT_TRUE(space_->Map(0x8000'0000, 0x8000'0000, PageSize::k1G, kRw).ok());
  EXPECT_EQ(space_->Map(0x8020'0000, 0, PageSize::k2M, kRw).error(), Error::kAlreadyMapped);
  EXPECT_EQ(space_->Map(0x8000'1000, 0, PageSize::k4K, kRw).error(), Error::kAlreadyMapped);
  ASSERT_TRUE(space_->Map(0x4000'0000, 0x4000'0000, PageSize::k2M, kRw).ok());
  EXPECT_EQ(space_->Map(0x4000'0000, 0, PageSize::k4K, kRw).error(), Error::kAlreadyMapped);
  EXPECT_EQ(space_->Map(0x401f'f000, 0, PageSize::k4K, kRw).error(), Error::kAlreadyMapped);
  // MapRange overlapping the end of an existing mapping maps nothing.
  int64_t before = env_.pages_in_use();
  EXPECT_EQ(space_->MapRange(0x3fe0'0000, 0, 0x40'0000, kRw).error(), Error::kAlreadyMapped);
  EXPECT_EQ(space_->Translate(0x3fe0'0000).error(), Error::kNotMapped);
  EXPECT_EQ(env_.pages_in_use(), before);
}

TEST_F(PageTableTest, EmptyTableWhereLargePageGoesIsConflictingPageSize) {
  // A wrapped tree (not built by us) may hold an empty PT under a PD entry.
  ASSERT_TRUE(space_->Map(0x20'0000, 0x1000, PageSize::k4K, kRw).ok());
  uint64_t pt = RawEntry(env_, space_->root(), 0x20'0000, kLevelPd) & PageTableEntry::kAddressMask;
  env_.Entry(pt, 0) = 0;
  // ... and its PD entry says so (the count lib/paging keeps for trees it builds).
  uint64_t pd =
      RawEntry(env_, space_->root(), 0x20'0000, kLevelPdpt) & PageTableEntry::kAddressMask;
  uint64_t& pd_entry = env_.Entry(pd, TableIndex(0x20'0000, kLevelPd));
  pd_entry = PageTableEntry(pd_entry).WithChildCount(0).raw();
  EXPECT_EQ(space_->Map(0x20'0000, 0x40'0000, PageSize::k2M, kRw).error(),
            Error::kConflictingPageSize);
}

TEST_F(PageTableTest, Misaligned) {
  EXPECT_EQ(space_->Map(0x1001, 0x1000, PageSize::k4K, kRw).error(), Error::kMisaligned);
  EXPECT_EQ(space_->Map(0x1000, 0x1800, PageSize::k4K, kRw).error(), Error::kMisaligned);
  EXPECT_EQ(space_->Map(0x1000, 0x20'0000, PageSize::k2M, kRw).error(), Error::kMisaligned);
  EXPECT_EQ(space_->Map(0x20'0000, 0x1000, PageSize::k2M, kRw).error(), Error::kMisaligned);
  EXPECT_EQ(space_->Map(0x20'0000, 0x20'0000, PageSize::k1G, kRw).error(), Error::kMisaligned);
  // Physical addresses beyond 52 bits would spill into the XD/ignored bits.
  EXPECT_EQ(space_->Map(0x1000, 1ull << 52, PageSize::k4K, kRw).error(), Error::kMisaligned);
  EXPECT_EQ(space_->Map(0x1000, ~0xfffull, PageSize::k4K, kRw).error(), Error::kMisaligned);
  EXPECT_EQ(space_->MapRange(0x1000, (1ull << 52) - k4K, 2 * k4K, kRw).error(), Error::kMisaligned);
  EXPECT_EQ(space_->MapRange(0x1000, 0x1000, 0x800, kRw).error(), Error::kMisaligned);
  EXPECT_EQ(space_->MapRange(0x1200, 0x1000, k4K, kRw).error(), Error::kMisaligned);
  ASSERT_TRUE(space_->Map(0x20'0000, 0x20'0000, PageSize::k2M, kRw).ok());
  EXPECT_EQ(space_->Unmap(0x20'1000, PageSize::k2M).error(), Error::kMisaligned);
  EXPECT_EQ(space_->Protect(0x20'1000, PageSize::k2M, kRo).error(), Error::kMisaligned);
  EXPECT_EQ(env_.pages_in_use(), baseline_ + 2);
}

TEST_F(PageTableTest, NonCanonical) {
  for (uint64_t virt : {0x0000'8000'0000'0000ull, 0xffff'7fff'ffff'f000ull,
                        0x8000'0000'0000'0000ull, 0x0001'0000'0000'0000ull}) {
    EXPECT_EQ(space_->Map(virt, 0x1000, PageSize::k4K, kRw).error(), Error::kNonCanonical);
    EXPECT_EQ(space_->Unmap(virt, PageSize::k4K).error(), Error::kNonCanonical);
    EXPECT_EQ(space_->Protect(virt, PageSize::k4K, kRo).error(), Error::kNonCanonical);
    EXPECT_EQ(space_->Translate(virt).error(), Error::kNonCanonical);
  }
  // A range starting canonical but running into the hole, or wrapping around.
  EXPECT_EQ(space_->MapRange(0x0000'7fff'ffff'e000ull, 0, 3 * k4K, kRw).error(),
            Error::kNonCanonical);
  EXPECT_EQ(space_->MapRange(0xffff'ffff'ffff'f000ull, 0, 2 * k4K, kRw).error(),
            Error::kNonCanonical);
  EXPECT_EQ(space_->MapRange(0x0000'8000'0000'0000ull, 0, 0, kRw).error(), Error::kNonCanonical);
  EXPECT_EQ(env_.pages_in_use(), baseline_);
  // The very last pages of each half are fine.
  EXPECT_TRUE(space_->MapRange(0x0000'7fff'ffff'e000ull, 0, 2 * k4K, kRw).ok());
  EXPECT_TRUE(space_->Map(0xffff'ffff'ffff'f000ull, 0, PageSize::k4K, kRw).ok());
}

TEST_F(PageTableTest, UnmapFreesEmptyTables) {
  ASSERT_TRUE(space_->Map(0x1000, 0x1000, PageSize::k4K, kRw).ok());
  ASSERT_TRUE(space_->Map(0x2000, 0x2000, PageSize::k4K, kRw).ok());
  ASSERT_TRUE(space_->Map(0x4000'0000, 0x20'0000, PageSize::k2M, kRw).ok());
  ASSERT_TRUE(space_->Map(0xffff'8000'0000'0000ull, 0, PageSize::k1G, kRw).ok());
  // PDPT, PD, PT for 0x1000; a second PD for 0x4000'0000; a PDPT for the upper half.
  EXPECT_EQ(env_.pages_in_use(), baseline_ + 5);

  ASSERT_TRUE(space_->Unmap(0x1000, PageSize::k4K).ok());
  EXPECT_EQ(env_.pages_in_use(), baseline_ + 5);  // 0x2000 still uses the PT
  EXPECT_EQ(space_->Translate(0x1000).error(), Error::kNotMapped);
  EXPECT_EQ(space_->Translate(0x2000).value().phys, 0x2000u);
  EXPECT_EQ(space_->Unmap(0x1000, PageSize::k4K).error(), Error::kNotMapped);

  ASSERT_TRUE(space_->Unmap(0x2000, PageSize::k4K).ok());
  EXPECT_EQ(env_.pages_in_use(), baseline_ + 3);  // PT and its PD gone; PDPT still in use
  ASSERT_TRUE(space_->Unmap(0x4000'0000, PageSize::k2M).ok());
  EXPECT_EQ(env_.pages_in_use(), baseline_ + 1);
  ASSERT_TRUE(space_->Unmap(0xffff'8000'0000'0000ull, PageSize::k1G).ok());
  EXPECT_EQ(env_.pages_in_use(), baseline_ + 1);  // the shared upper-half PDPT stays
  for (uint64_t i = 0; i < kEntriesPerTable; ++i) {
    if (i != 256) EXPECT_EQ(env_.Entry(space_->root(), i), 0u);
  }
  EXPECT_TRUE(env_.Entry(space_->root(), 256) & PageTableEntry::kPresent);
  EXPECT_EQ(space_->Unmap(0x0, PageSize::k1G).error(), Error::kNotMapped);
}

TEST_F(PageTableTest, UnmapWithWrongSizeIsConflicting) {
  ASSERT_TRUE(space_->Map(0x20'0000, 0x20'0000, PageSize::k2M, kRw).ok());
  ASSERT_TRUE(space_->Map(0x40'0000, 0x1000, PageSize::k4K, kRw).ok());
  EXPECT_EQ(space_->Unmap(0x20'0000, PageSize::k4K).error(), Error::kConflictingPageSize);
  EXPECT_EQ(space_->Unmap(0x40'0000, PageSize::k2M).error(), Error::kConflictingPageSize);
  EXPECT_EQ(space_->Unmap(0, PageSize::k1G).error(), Error::kConflictingPageSize);
  EXPECT_EQ(space_->Protect(0x20'0000, PageSize::k4K, kRo).error(), Error::kConflictingPageSize);
  EXPECT_TRUE(space_->Translate(0x20'0000).ok());
  EXPECT_TRUE(space_->Translate(0x40'0000).ok());
}

TEST_F(PageTableTest, ProtectChangesPermissionsAndKeepsAddressAccessedDirty) {
  ASSERT_TRUE(space_->Map(0x20'0000, 0x60'0000, PageSize::k2M, kRw).ok());
  uint64_t pd =
      RawEntry(env_, space_->root(), 0x20'0000, kLevelPdpt) & PageTableEntry::kAddressMask;
  env_.Entry(pd, 1) |= PageTableEntry::kAccessed | PageTableEntry::kDirty;

  ASSERT_TRUE(space_->Protect(0x20'0000, PageSize::k2M, kRx).ok());
  auto t = space_->Translate(0x20'0000);
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t.value().phys, 0x60'0000u);
  EXPECT_EQ(t.value().size, PageSize::k2M);
  EXPECT_EQ(t.value().attrs, kRx);
  uint64_t raw = env_.Entry(pd, 1);
  EXPECT_TRUE(raw & PageTableEntry::kAccessed);
  EXPECT_TRUE(raw & PageTableEntry::kDirty);
  EXPECT_TRUE(raw & PageTableEntry::kPageSize);
  EXPECT_FALSE(raw & PageTableEntry::kNoExecute);

  ASSERT_TRUE(space_->Protect(0x20'0000, PageSize::k2M, {.user = true, .uncached = true}).ok());
  auto t2 = space_->Translate(0x20'0000);
  ASSERT_TRUE(t2.ok());
  EXPECT_TRUE(t2.value().attrs.user);
  EXPECT_TRUE(t2.value().attrs.uncached);
  EXPECT_FALSE(t2.value().attrs.executable);
  EXPECT_EQ(space_->Protect(0x60'0000, PageSize::k2M, kRo).error(), Error::kNotMapped);
}

TEST_F(PageTableTest, MapRangePicksLargePages) {
  // [1G - 8K, 2G + 2M + 12K): 4K x2, 1G, 2M, 4K x3 when virt and phys agree mod 1G.
  const uint64_t virt = k1G - 2 * k4K;
  const uint64_t phys = 0x10'0000'0000ull - 2 * k4K;
  const uint64_t bytes = 2 * k4K + k1G + k2M + 3 * k4K;
  ASSERT_TRUE(space_->MapRange(virt, phys, bytes, kRw).ok());
  EXPECT_EQ(space_->Translate(virt).value().size, PageSize::k4K);
  EXPECT_EQ(space_->Translate(virt + k4K).value().size, PageSize::k4K);
  EXPECT_EQ(space_->Translate(k1G).value().size, PageSize::k1G);
  EXPECT_EQ(space_->Translate(2 * k1G).value().size, PageSize::k2M);
  EXPECT_EQ(space_->Translate(2 * k1G + k2M).value().size, PageSize::k4K);
  EXPECT_EQ(space_->Translate(2 * k1G + k2M + 2 * k4K).value().size, PageSize::k4K);
  EXPECT_EQ(space_->Translate(2 * k1G + k2M + 3 * k4K).error(), Error::kNotMapped);
  EXPECT_EQ(space_->Translate(virt - k4K).error(), Error::kNotMapped);
  for (uint64_t off = 0; off < bytes; off += 0x1'2345'000ull) {
    EXPECT_EQ(space_->Translate(virt + off).value().phys, phys + off) << off;
  }
  EXPECT_EQ(space_->Translate(virt + bytes - 1).value().phys, phys + bytes - 1);
}

TEST_F(PageTableTest, MapRangeWithoutLargePagesOrWithout1G) {
  ASSERT_TRUE(space_->MapRange(0, 0, 2 * k2M, kRo, /*allow_large=*/false).ok());
  EXPECT_EQ(space_->Translate(0).value().size, PageSize::k4K);
  EXPECT_EQ(space_->Translate(k2M).value().size, PageSize::k4K);
  EXPECT_EQ(env_.pages_in_use(), baseline_ + 4);  // PDPT, PD, 2 PTs

  ASSERT_TRUE(space_->MapRange(k1G, k1G, k1G, kRo, PageSize::k2M).ok());
  EXPECT_EQ(space_->Translate(k1G).value().size, PageSize::k2M);
  EXPECT_EQ(space_->Translate(2 * k1G - 1).value().phys, 2 * k1G - 1);
  // Misaligned virt/phys relative to each other: no large page fits.
  ASSERT_TRUE(space_->MapRange(4 * k1G, k4K, k2M, kRo).ok());
  EXPECT_EQ(space_->Translate(4 * k1G).value().size, PageSize::k4K);
  EXPECT_TRUE(space_->MapRange(8 * k1G, 0, 0, kRo).ok());  // empty range: nothing to do
}

TEST_F(PageTableTest, OutOfMemoryInTheMiddleOfMapLeavesNoLeak) {
  for (int allowed = 0; allowed < 3; ++allowed) {
    env_.FailAfter(allowed);
    EXPECT_EQ(space_->Map(0x1234'5000, 0x1000, PageSize::k4K, kRw).error(), Error::kOutOfMemory);
    EXPECT_EQ(env_.pages_in_use(), baseline_) << allowed;
    for (uint64_t i = 0; i < kEntriesPerTable; ++i) EXPECT_EQ(env_.Entry(space_->root(), i), 0u);
  }
  env_.FailAfter(3);
  EXPECT_TRUE(space_->Map(0x1234'5000, 0x1000, PageSize::k4K, kRw).ok());
  EXPECT_EQ(env_.pages_in_use(), baseline_ + 3);
  env_.FailAfter(-1);
}

TEST_F(PageTableTest, OutOfMemoryInTheMiddleOfMapRangeRollsBack) {
  // 3 GiB of 4K pages spanning PD boundaries: the 4th table allocation fails mid-way.
  ASSERT_TRUE(space_->Map(0x7f'0000'0000ull, 0x5000, PageSize::k4K, kRo).ok());  // unrelated
  const int64_t before = env_.pages_in_use();
  for (int allowed : {0, 1, 3, 5}) {
    env_.FailAfter(allowed);
    EXPECT_EQ(space_->MapRange(k1G - 4 * k2M, 0, 8 * k2M, kRw, false).error(), Error::kOutOfMemory);
    EXPECT_EQ(env_.pages_in_use(), before) << allowed;
    EXPECT_EQ(space_->Translate(k1G - 4 * k2M).error(), Error::kNotMapped);
  }
  env_.FailAfter(-1);
  EXPECT_EQ(space_->Translate(0x7f'0000'0000ull).value().phys, 0x5000u);
  EXPECT_TRUE(space_->MapRange(k1G - 4 * k2M, 0, 8 * k2M, kRw, false).ok());
}

TEST_F(PageTableTest, CreateFailsCleanlyWithoutMemory) {
  TestEnv empty(0);
  EXPECT_EQ(Space::Create(empty).error(), Error::kOutOfMemory);
  TestEnv refusing(4);
  refusing.FailAfter(0);
  EXPECT_EQ(Space::Create(refusing).error(), Error::kOutOfMemory);
  EXPECT_EQ(refusing.pages_in_use(), 0);
}

TEST_F(PageTableTest, TablesAreZeroedEvenIfTheEnvForgets) {
  env_.SetZeroPages(false);
  ASSERT_TRUE(space_->Map(0x1000, 0x1000, PageSize::k4K, kRw).ok());
  EXPECT_EQ(space_->Translate(0x2000).error(), Error::kNotMapped);
  EXPECT_EQ(space_->Translate(0x4000'0000).error(), Error::kNotMapped);
  EXPECT_EQ(space_->Translate(0x80'0000'0000ull).error(), Error::kNotMapped);
}

TEST_F(PageTableTest, WrapsAnExistingRoot) {
  ASSERT_TRUE(space_->MapRange(0xffff'8000'0000'0000ull, 0, 4 * k2M, kRw).ok());
  Space wrapped(env_, space_->root());
  EXPECT_EQ(wrapped.root(), space_->root());
  EXPECT_EQ(wrapped.Translate(0xffff'8000'0060'0abcull).value().phys, 0x60'0abcu);
}

// Random Map/Unmap/Protect of 4K and 2M pages against a reference model; everything unmapped
// at the end returns the table-page count to the baseline.
TEST_F(PageTableTest, RandomOperationsMatchAReferenceModel) {
  struct Page {
    uint64_t phys;
    PageSize size;
    Attributes attrs;
  };
  std::map<uint64_t, Page> model;  // virt -> page
  std::mt19937_64 rng(1234);
  auto covered = [&](uint64_t virt, uint64_t bytes) {
    for (auto& [v, p] : model) {
      if (v < virt + bytes && virt < v + Bytes(p.size)) return true;
    }
    return false;
  };
  const Attributes choices[] = {kRw, kRx, kRo, {.writable = true, .user = true}};
  for (int step = 0; step < 4000; ++step) {
    // Small window (2 PML4 slots x 2 PDPT x 4 PD x 8 PT) so operations collide often.
    uint64_t virt = ((rng() % 2) << 39) | ((rng() % 2) << 30) | ((rng() % 4) << 21);
    bool big = rng() % 4 == 0;
    if (!big) virt |= (rng() % 8) << 12;
    if (rng() % 2) virt |= kUpperHalfBase;
    PageSize size = big ? PageSize::k2M : PageSize::k4K;
    Attributes attrs = choices[rng() % 4];
    uint64_t phys = (rng() % 1024) * k2M;
    switch (rng() % 3) {
      case 0: {
        auto r = space_->Map(virt, phys, size, attrs);
        if (covered(virt, Bytes(size))) {
          ASSERT_FALSE(r.ok());
        } else {
          ASSERT_TRUE(r.ok()) << static_cast<int>(r.error());
          model[virt] = {phys, size, attrs};
        }
        break;
      }
      case 1: {
        auto r = space_->Unmap(virt, size);
        auto it = model.find(virt);
        if (it != model.end() && it->second.size == size) {
          ASSERT_TRUE(r.ok());
          model.erase(it);
        } else {
          ASSERT_FALSE(r.ok());
        }
        break;
      }
      case 2: {
        auto r = space_->Protect(virt, size, attrs);
        auto it = model.find(virt);
        if (it != model.end() && it->second.size == size) {
          ASSERT_TRUE(r.ok());
          it->second.attrs = attrs;
        } else {
          ASSERT_FALSE(r.ok());
        }
        break;
      }
    }
    if (step % 97 == 0) {
      ASSERT_EQ(CountMismatches(env_, space_->root(), kLevelPml4), 0) << "step " << step;
      for (auto& [v, p] : model) {
        auto t = space_->Translate(v + Bytes(p.size) - 8);
        ASSERT_TRUE(t.ok());
        EXPECT_EQ(t.value().phys, p.phys + Bytes(p.size) - 8);
        EXPECT_EQ(t.value().size, p.size);
        EXPECT_EQ(t.value().attrs.writable, p.attrs.writable);
        EXPECT_EQ(t.value().attrs.executable, p.attrs.executable);
      }
    }
  }
  for (auto& [v, p] : model) ASSERT_TRUE(space_->Unmap(v, p.size).ok());
  // Everything is freed except the shared upper-half PDPTs, which are never freed.
  int64_t shared_pdpts = 0;
  for (uint64_t i = kFirstSharedPml4Index; i < kEntriesPerTable; ++i) {
    if (env_.Entry(space_->root(), i) & PageTableEntry::kPresent) ++shared_pdpts;
  }
  EXPECT_LE(shared_pdpts, 2);
  EXPECT_EQ(CountMismatches(env_, space_->root(), kLevelPml4), 0);
  EXPECT_EQ(env_.pages_in_use(), baseline_ + shared_pdpts);
}

}  // namespace
}  // namespace hiillos::paging

namespace hiillos::paging {
namespace {

TEST_F(PageTableTest, CountsTrackPresentEntriesAndEmptyTablesGoAtOnce) {
  // Fill one PT completely, a second one partly, then empty them in an interleaved order.
  const uint64_t base = 0x4000'0000;
  for (uint64_t i = 0; i < 512 + 100; ++i) {
    ASSERT_TRUE(space_->Map(base + i * k4K, i * k4K, PageSize::k4K, kRw).ok());
  }
  EXPECT_EQ(PageTableEntry(RawEntry(env_, space_->root(), base, kLevelPd)).child_count(), 512u);
  EXPECT_EQ(PageTableEntry(RawEntry(env_, space_->root(), base + k2M, kLevelPd)).child_count(),
            100u);
  EXPECT_EQ(PageTableEntry(RawEntry(env_, space_->root(), base, kLevelPdpt)).child_count(), 2u);
  EXPECT_EQ(CountMismatches(env_, space_->root(), kLevelPml4), 0);
  const int64_t full = env_.pages_in_use();  // root, PDPT, PD, two PTs
  EXPECT_EQ(full, baseline_ + 4);
  for (uint64_t i = 0; i < 512 + 100; i += 2) {
    ASSERT_TRUE(space_->Unmap(base + i * k4K, PageSize::k4K).ok());
  }
  EXPECT_EQ(CountMismatches(env_, space_->root(), kLevelPml4), 0);
  EXPECT_EQ(env_.pages_in_use(), full);
  for (uint64_t i = 1; i < 100; i += 2) {
    ASSERT_TRUE(space_->Unmap(base + (512 + i) * k4K, PageSize::k4K).ok());
  }
  EXPECT_EQ(env_.pages_in_use(), full - 1);  // the second PT went with its last page
  EXPECT_EQ(PageTableEntry(RawEntry(env_, space_->root(), base, kLevelPdpt)).child_count(), 1u);
  for (uint64_t i = 1; i < 512; i += 2) {
    ASSERT_TRUE(space_->Unmap(base + i * k4K, PageSize::k4K).ok());
  }
  EXPECT_EQ(env_.pages_in_use(), baseline_);  // PT, PD and PDPT all went
  EXPECT_EQ(env_.Entry(space_->root(), TableIndex(base, kLevelPml4)), 0u);
}

TEST_F(PageTableTest, UnmapWithKeepLeavesEmptyTablesForTheNextMap) {
  const uint64_t base = 0x4000'0000;
  ASSERT_TRUE(space_->Map(base, 0x1000, PageSize::k4K, kRw).ok());
  const int64_t mapped = env_.pages_in_use();
  EXPECT_EQ(mapped, baseline_ + 3);
  ASSERT_TRUE(space_->Unmap(base, PageSize::k4K, Space::EmptyTables::kKeep).ok());
  EXPECT_EQ(env_.pages_in_use(), mapped);
  EXPECT_EQ(space_->Translate(base).error(), Error::kNotMapped);
  EXPECT_EQ(PageTableEntry(RawEntry(env_, space_->root(), base, kLevelPd)).child_count(), 0u);
  EXPECT_EQ(CountMismatches(env_, space_->root(), kLevelPml4), 0);
  // Mapping there again allocates nothing.
  const int64_t allocations = env_.allocations();
  ASSERT_TRUE(space_->Map(base + k4K, 0x2000, PageSize::k4K, kRw).ok());
  EXPECT_EQ(env_.allocations(), allocations);
  EXPECT_EQ(CountMismatches(env_, space_->root(), kLevelPml4), 0);
  // A large page where the kept (empty) PT sits conflicts.
  ASSERT_TRUE(space_->Unmap(base + k4K, PageSize::k4K, Space::EmptyTables::kKeep).ok());
  EXPECT_EQ(space_->Map(base, 0, PageSize::k2M, kRw).error(), Error::kConflictingPageSize);
  EXPECT_EQ(env_.pages_in_use(), mapped);
}

TEST_F(PageTableTest, FreeLowerHalfTablesInSmallStepsFreesEveryTable) {
  // Tables at scattered places, some still holding leaves, and an upper-half mapping.
  std::mt19937_64 random(7);
  const uint64_t upper = 0xffff'c000'0000'0000ull;
  ASSERT_TRUE(space_->Map(upper, 0x1000, PageSize::k4K, kRw).ok());
  const int64_t upper_tables = env_.pages_in_use() - baseline_;
  EXPECT_EQ(upper_tables, 3);
  for (int i = 0; i < 60; ++i) {
    const uint64_t virt = (random() % (Space::kLowerHalfEnd / k4K)) * k4K;
    (void)space_->Map(virt, 0x1000, PageSize::k4K, kRw);
    if (i % 3 == 0) (void)space_->Unmap(virt, PageSize::k4K, Space::EmptyTables::kKeep);
  }
  ASSERT_TRUE(space_->Map(0x4000'0000, 0, PageSize::k1G, kRw).ok());  // a leaf in a PDPT
  ASSERT_TRUE(space_->Map(0x20'0000, 0, PageSize::k2M, kRw).ok());    // a leaf in a PD
  // The last entry of every level: the very top of the lower half, and the last 2 MiB of the
  // first GiB (tables that end where their parent ends).
  ASSERT_TRUE(space_->Map(Space::kLowerHalfEnd - k4K, 0x1000, PageSize::k4K, kRw).ok());
  ASSERT_TRUE(space_->Map(k1G - k4K, 0x1000, PageSize::k4K, kRw).ok());
  ASSERT_EQ(CountMismatches(env_, space_->root(), kLevelPml4), 0);
  uint64_t from = 0;
  int calls = 0;
  int64_t before = env_.pages_in_use();
  while (from != Space::kAllTablesFreed) {
    from = space_->FreeLowerHalfTables(from, 2);
    const int64_t now = env_.pages_in_use();
    EXPECT_LE(before - now, 2);
    before = now;
    EXPECT_EQ(CountMismatches(env_, space_->root(), kLevelPml4), 0);
    ASSERT_LT(++calls, 1000);
  }
  EXPECT_EQ(env_.pages_in_use(), baseline_ + upper_tables);
  for (uint64_t i = 0; i < kFirstSharedPml4Index; ++i) {
    EXPECT_EQ(env_.Entry(space_->root(), i), 0u);
  }
  EXPECT_EQ(space_->Translate(upper).value().phys, 0x1000u);
  // Nothing left: a further call frees nothing.
  EXPECT_EQ(space_->FreeLowerHalfTables(0, 1), Space::kAllTablesFreed);
  EXPECT_EQ(env_.pages_in_use(), baseline_ + upper_tables);
}

TEST_F(PageTableTest, FreeLowerHalfTablesFreesTablesEndingWhereTheirParentEnds) {
  // An address space like a process's: an image low, a stack at the very top.
  ASSERT_TRUE(space_->Map(0x40'0000, 0x1000, PageSize::k4K, kRw).ok());
  ASSERT_TRUE(space_->Map(Space::kLowerHalfEnd - 2 * k4K, 0x2000, PageSize::k4K, kRw).ok());
  EXPECT_EQ(env_.pages_in_use(), baseline_ + 6);
  for (uint64_t budget : {uint64_t{1}, uint64_t{100}}) {
    uint64_t from = 0;
    int calls = 0;
    while (from != Space::kAllTablesFreed && ++calls < 100) {
      from = space_->FreeLowerHalfTables(from, budget);
    }
    EXPECT_EQ(env_.pages_in_use(), baseline_);
    EXPECT_EQ(CountMismatches(env_, space_->root(), kLevelPml4), 0);
    // Again, for the other budget.
    ASSERT_TRUE(space_->Map(0x40'0000, 0x1000, PageSize::k4K, kRw).ok());
    ASSERT_TRUE(space_->Map(Space::kLowerHalfEnd - 2 * k4K, 0x2000, PageSize::k4K, kRw).ok());
  }
}

TEST(SharedKernelHalfTest, UnmapKeepsUpperHalfPdptButFreesLowerHalfTables) {
  TestEnv env{64};
  auto created = AddressSpace<TestEnv>::Create(env);
  ASSERT_TRUE(created.ok());
  AddressSpace<TestEnv> space = created.value();
  const uint64_t kernel_virt = 0xffff'c000'0000'0000ull;  // PML4 index 384: shared
  const uint64_t user_virt = 0x40'0000ull;                // PML4 index 0: per process
  ASSERT_TRUE(space.Map(kernel_virt, 0x20'0000, PageSize::k4K, {.writable = true}).ok());
  ASSERT_TRUE(space.Map(user_virt, 0x20'0000, PageSize::k4K, {.user = true}).ok());
  EXPECT_EQ(env.pages_in_use(), 1 + 3 + 3);  // root + PDPT/PD/PT for each
  ASSERT_TRUE(space.Unmap(kernel_virt, PageSize::k4K).ok());
  ASSERT_TRUE(space.Unmap(user_virt, PageSize::k4K).ok());
  EXPECT_EQ(env.pages_in_use(), 1 + 1);  // root + the shared kernel PDPT
  uint64_t pml4_entry = env.Entry(space.root(), 384);
  EXPECT_TRUE(pml4_entry & PageTableEntry::kPresent);
  EXPECT_FALSE(env.Entry(space.root(), 0) & PageTableEntry::kPresent);
  EXPECT_EQ(env.misuse(), 0);
}

}  // namespace
}  // namespace hiillos::paging
