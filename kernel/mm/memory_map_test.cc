// kernel/mm/memory_map_test.cc — host tests of usable-range extraction and metadata carving.
#include "kernel/mm/memory_map.h"

#include <gtest/gtest.h>

#include <cstring>
#include <memory>
#include <random>
#include <vector>

#include "kernel/mm/buddy_allocator.h"

namespace hiillos::mm {

// gtest prints PhysRange as {base, size} in hex (found by ADL).
void PrintTo(const PhysRange& range, std::ostream* os) {
  *os << std::hex << "{0x" << range.base << ", 0x" << range.size << "}" << std::dec;
}

namespace {

using uapi::MemoryKind;
using uapi::MemoryRange;

constexpr uint64_t k4K = 0x1000;

std::vector<PhysRange> Usable(const std::vector<MemoryRange>& map,
                              const UsableRangeOptions& options = {}) {
  PhysRange out[64];
  auto n = UsableRanges(map.data(), map.size(), options, out, 64);
  EXPECT_TRUE(n.ok());
  return std::vector<PhysRange>(out, out + n.value_or(0));
}

MemoryRange R(uint64_t base, uint64_t size, MemoryKind kind) {
  return {base, size, kind, 0};
}

TEST(MemoryMapTest, KeepsOnlyUsableSortedAndMerged) {
  std::vector<MemoryRange> map = {
      R(0x10'0000, 0x70'0000, MemoryKind::kUsable),
      R(0, 0x9f000, MemoryKind::kUsable),
      R(0x9f000, 0x61000, MemoryKind::kReserved),
      R(0x80'0000, 0x10'0000, MemoryKind::kUsable),  // touches the first: merged
      R(0x90'0000, 0x1'0000, MemoryKind::kAcpiNvs),
      R(0x91'0000, 0x1'0000, MemoryKind::kAcpiReclaimable),
      R(0x92'0000, 0x1'0000, MemoryKind::kLoaderReclaimable),
      R(0x93'0000, 0x1'0000, MemoryKind::kBootData),
      R(0x94'0000, 0x1'0000, MemoryKind::kKernel),
      R(0x95'0000, 0x1'0000, MemoryKind::kModule),
      R(0x96'0000, 0x1'0000, MemoryKind::kFramebuffer),
      R(0x97'0000, 0x1'0000, MemoryKind::kMmio),
      R(0x98'0000, 0x1'0000, MemoryKind::kUnusable),
      R(0x99'0000, 0x1'0000, static_cast<MemoryKind>(99)),  // unknown: reserved
  };
  EXPECT_EQ(Usable(map), (std::vector<PhysRange>{{0, 0x9f000}, {0x10'0000, 0x80'0000}}));
  EXPECT_EQ(Usable(map, {.include_loader_reclaimable = true}),
            (std::vector<PhysRange>{{0, 0x9f000}, {0x10'0000, 0x80'0000}, {0x92'0000, 0x1'0000}}));
  EXPECT_EQ(Usable(map, {.include_loader_reclaimable = true, .include_acpi_reclaimable = true}),
            (std::vector<PhysRange>{{0, 0x9f000}, {0x10'0000, 0x80'0000}, {0x91'0000, 0x2'0000}}));
}

TEST(MemoryMapTest, OverlappingReservedWinsOverUsable) {
  std::vector<MemoryRange> map = {
      R(0, 0x100'0000, MemoryKind::kUsable),
      R(0x10'0000, 0x10'0000, MemoryKind::kReserved),
      R(0x80'0000, 0x1000, MemoryKind::kKernel),
      R(0xff'f000, 0x2000, MemoryKind::kMmio),       // sticks out of the end
      R(0x40'0000, 0x40'0000, MemoryKind::kUsable),  // duplicate usable inside
  };
  EXPECT_EQ(Usable(map), (std::vector<PhysRange>{
                             {0, 0x10'0000}, {0x20'0000, 0x60'0000}, {0x80'1000, 0x7f'e000}}));
}

TEST(MemoryMapTest, UnalignedEntriesShrinkUsableAndGrowReserved) {
  std::vector<MemoryRange> map = {
      R(0x1234, 0x10'0000, MemoryKind::kUsable),  // -> [0x2000, 0x101000)
      R(0x8'0800, 0x10, MemoryKind::kReserved),   // -> avoid [0x80000, 0x81000)
      R(0x20'0000, 0x800, MemoryKind::kUsable),   // less than a page: nothing
      R(0x30'0800, 0x1000, MemoryKind::kUsable),  // straddles two pages: nothing
  };
  EXPECT_EQ(Usable(map), (std::vector<PhysRange>{{0x2000, 0x7'e000}, {0x8'1000, 0x8'0000}}));
}

TEST(MemoryMapTest, ZeroSizeAndHostileEntries) {
  std::vector<MemoryRange> map = {
      R(0x10'0000, 0, MemoryKind::kUsable),
      R(0x1000, 0, MemoryKind::kReserved),  // zero size reserves nothing
      R(0, 0x4000, MemoryKind::kUsable),
      R(~0ull - 0x5000, 0x10000, MemoryKind::kUsable),            // wraps: clipped, no crash
      R(0xffff'ffff'0000'0000ull, ~0ull, MemoryKind::kReserved),  // wraps: avoid to the top
  };
  EXPECT_EQ(Usable(map), (std::vector<PhysRange>{{0, 0x4000}}));
  std::vector<MemoryRange> top = {R(0xffff'ffff'ffff'0000ull, 0x1'0000, MemoryKind::kUsable)};
  auto ranges = Usable(top);
  ASSERT_EQ(ranges.size(), 1u);
  EXPECT_EQ(ranges[0].base, 0xffff'ffff'ffff'0000ull);
  EXPECT_EQ(ranges[0].size, 0xf000u);  // the very last page is never returned (end overflows)
  EXPECT_TRUE(Usable({}).empty());
}

TEST(MemoryMapTest, ExtraExclusions) {
  std::vector<MemoryRange> map = {R(0, 0x10'0000, MemoryKind::kUsable)};
  PhysRange exclude[] = {{0x8000, 0x1000}, {0x2'0000, 0}, {0xf'ffff, 1}};
  EXPECT_EQ(Usable(map, {.exclude = exclude, .exclude_count = 3}),
            (std::vector<PhysRange>{{0, 0x8000}, {0x9000, 0xf'6000}}));
  // A count without an array is ignored rather than dereferenced.
  EXPECT_EQ(Usable(map, {.exclude = nullptr, .exclude_count = 3}),
            (std::vector<PhysRange>{{0, 0x10'0000}}));
}

TEST(MemoryMapTest, TooManyRanges) {
  std::vector<MemoryRange> map;
  for (uint64_t i = 0; i < 10; ++i) map.push_back(R(i * 0x2000, 0x1000, MemoryKind::kUsable));
  PhysRange out[10];
  EXPECT_EQ(UsableRanges(map.data(), map.size(), {}, out, 9).error(), Error::kTooManyRanges);
  EXPECT_EQ(UsableRanges(map.data(), map.size(), {}, out, 10).value_or(0), 10u);
  // Ten touching entries merge into one: capacity 1 suffices.
  map.clear();
  for (uint64_t i = 10; i-- > 0;) map.push_back(R(i * 0x1000, 0x1000, MemoryKind::kUsable));
  EXPECT_EQ(UsableRanges(map.data(), map.size(), {}, out, 1).value_or(0), 1u);
  EXPECT_EQ(out[0], (PhysRange{0, 0xa000}));
  EXPECT_EQ(UsableRanges(map.data(), map.size(), {}, out, 0).error(), Error::kTooManyRanges);
}

// Reference: a page is usable iff some allowed entry contains it whole and no other entry
// (or exclusion) of positive size touches it.
TEST(MemoryMapTest, RandomMapsMatchPageModel) {
  constexpr uint64_t kPages = 96;
  std::mt19937_64 rng(5);
  for (int round = 0; round < 3000; ++round) {
    std::vector<MemoryRange> map;
    size_t entries = rng() % 12;
    for (size_t i = 0; i < entries; ++i) {
      uint64_t base = rng() % (kPages * k4K);
      if (rng() % 2) base &= ~(k4K - 1);
      uint64_t size = rng() % 4 == 0 ? 0 : rng() % (24 * k4K);
      if (rng() % 2) size &= ~(k4K - 1);
      MemoryKind kind = rng() % 2 ? MemoryKind::kUsable : static_cast<MemoryKind>(1 + rng() % 12);
      map.push_back(R(base, size, kind));
    }
    PhysRange exclude[] = {{rng() % (kPages * k4K), rng() % (3 * k4K)}};
    UsableRangeOptions options{
        .include_loader_reclaimable = rng() % 2 == 0, .exclude = exclude, .exclude_count = 1};
    auto allowed = [&](MemoryKind kind) {
      return kind == MemoryKind::kUsable ||
             (options.include_loader_reclaimable && kind == MemoryKind::kLoaderReclaimable);
    };
    std::vector<bool> expected(kPages + 32, false);
    for (uint64_t page = 0; page < expected.size(); ++page) {
      uint64_t lo = page * k4K, hi = lo + k4K;
      bool inside = false, touched = false;
      for (const MemoryRange& e : map) {
        if (e.size == 0) continue;
        if (allowed(e.kind)) {
          inside = inside || (e.base <= lo && hi <= e.base + e.size);
        } else {
          touched = touched || (e.base < hi && lo < e.base + e.size);
        }
      }
      if (exclude[0].size != 0 && exclude[0].base < hi && lo < exclude[0].end()) touched = true;
      expected[page] = inside && !touched;
    }
    PhysRange out[64];
    auto n = UsableRanges(map.data(), map.size(), options, out, 64);
    ASSERT_TRUE(n.ok());
    std::vector<bool> actual(expected.size(), false);
    for (size_t i = 0; i < n.value(); ++i) {
      ASSERT_EQ(out[i].base % k4K, 0u);
      ASSERT_EQ(out[i].size % k4K, 0u);
      ASSERT_GT(out[i].size, 0u);
      if (i > 0) ASSERT_GT(out[i].base, out[i - 1].end());  // sorted, not even touching
      for (uint64_t p = out[i].base / k4K; p < out[i].end() / k4K; ++p) actual.at(p) = true;
    }
    ASSERT_EQ(actual, expected) << "round " << round;
  }
}

std::unique_ptr<uapi::BootInfo> MakeBootInfo() {
  auto info = std::make_unique<uapi::BootInfo>();
  std::memset(info.get(), 0, sizeof(*info));
  info->magic = uapi::kBootInfoMagic;
  info->version = uapi::kBootInfoVersion;
  info->size = sizeof(uapi::BootInfo);
  return info;
}

TEST(MemoryMapTest, BootInfoValidationAndBuiltInExclusions) {
  auto info = MakeBootInfo();
  info->memory_map[0] = R(0, 0x400'0000, MemoryKind::kUsable);  // the map lies: all usable
  info->memory_range_count = 1;
  info->kernel_phys_base = 0x20'0000;
  info->kernel_phys_size = 0x12'3456;
  info->page_table_root = 0x80'0000;
  info->framebuffer.base = 0x300'0000;
  info->framebuffer.size = 0x100'0000;
  info->module_count = 1;
  info->modules[0].base = 0x100'0000;
  info->modules[0].size = 0x2345;
  PhysRange out[16];
  auto n = UsableRanges(*info, {}, out, 16);
  ASSERT_TRUE(n.ok());
  std::vector<PhysRange> got(out, out + n.value());
  EXPECT_EQ(got, (std::vector<PhysRange>{{0, 0x20'0000},
                                         {0x32'4000, 0x4d'c000},
                                         {0x80'1000, 0x7f'f000},
                                         {0x100'3000, 0x1ff'd000}}));

  auto bad = MakeBootInfo();
  bad->magic ^= 1;
  EXPECT_EQ(UsableRanges(*bad, {}, out, 16).error(), Error::kBadBootInfo);
  bad = MakeBootInfo();
  bad->version = 2;
  EXPECT_EQ(UsableRanges(*bad, {}, out, 16).error(), Error::kBadBootInfo);
  bad = MakeBootInfo();
  bad->size = 16;
  EXPECT_EQ(UsableRanges(*bad, {}, out, 16).error(), Error::kBadBootInfo);
  bad = MakeBootInfo();
  bad->memory_range_count = uapi::kMaxMemoryRanges + 1;
  EXPECT_EQ(UsableRanges(*bad, {}, out, 16).error(), Error::kBadBootInfo);
  bad = MakeBootInfo();
  bad->module_count = uapi::kMaxModules + 1;
  EXPECT_EQ(UsableRanges(*bad, {}, out, 16).error(), Error::kBadBootInfo);
}

TEST(MemoryMapTest, CarveFromRanges) {
  PhysRange ranges[] = {{0x1000, 0x9e000}, {0x10'0000, 0x10'0000}, {0x40'0000, 0x3000}};
  EXPECT_EQ(CarveFromRanges(ranges, 3, 0).error(), Error::kBadRange);
  EXPECT_EQ(CarveFromRanges(ranges, 3, 0x20'0000).error(), Error::kOutOfMemory);
  EXPECT_EQ(CarveFromRanges(ranges, 3, ~0ull).error(), Error::kOutOfMemory);
  // Highest range that fits, taken from its end, rounded up to pages.
  EXPECT_EQ(CarveFromRanges(ranges, 3, 0x2001).value_or(0), 0x40'0000u);
  EXPECT_EQ(ranges[2], (PhysRange{0x40'0000, 0}));
  EXPECT_EQ(CarveFromRanges(ranges, 3, 0x5000).value_or(0), 0x1f'b000u);
  EXPECT_EQ(ranges[1], (PhysRange{0x10'0000, 0xf'b000}));
}

// Boot flow: BootInfo -> usable ranges -> carve PMM metadata -> Init -> allocate everything;
// nothing handed out touches a reserved range, the kernel, a module or the metadata.
TEST(MemoryMapTest, EndToEndWithBuddyAllocator) {
  auto info = MakeBootInfo();
  const MemoryRange map[] = {
      R(0, 0x9f000, MemoryKind::kUsable),
      R(0x9f000, 0x61000, MemoryKind::kReserved),
      R(0x10'0000, 0x7f0'0000, MemoryKind::kUsable),
      R(0x20'0000, 0x10'0000, MemoryKind::kKernel),
      R(0x40'0000, 0x4'0000, MemoryKind::kModule),
      R(0x700'0000, 0x1000, MemoryKind::kBootData),
      R(0x7f0'0000, 0x10'0000, MemoryKind::kAcpiNvs),
  };
  std::memcpy(info->memory_map, map, sizeof(map));
  info->memory_range_count = std::size(map);
  PhysRange ranges[32];
  size_t n = UsableRanges(*info, {}, ranges, 32).value_or(0);
  ASSERT_GT(n, 0u);
  uint64_t need = BuddyAllocator::MetadataBytes(ranges, n).value_or(0);
  uint64_t meta_phys = CarveFromRanges(ranges, n, need).value_or(0);
  ASSERT_NE(meta_phys, 0u);
  std::vector<uint64_t> meta(need / 8 + 1);
  BuddyAllocator pmm;
  ASSERT_TRUE(pmm.Init(ranges, n, meta.data(), need).ok());
  for (;;) {
    auto page = pmm.Allocate(0);
    if (!page.ok()) break;
    uint64_t p = page.value();
    for (const MemoryRange& e : map) {
      if (e.kind != MemoryKind::kUsable) {
        ASSERT_FALSE(p < e.base + e.size && e.base < p + k4K) << std::hex << p;
      }
    }
    ASSERT_FALSE(p < meta_phys + need && meta_phys < p + k4K) << std::hex << p;
  }
  EXPECT_EQ(pmm.free_pages(), 0u);
}

}  // namespace
}  // namespace hiillos::mm
