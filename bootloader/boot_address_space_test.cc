// bootloader/boot_address_space_test.cc — host tests for the kernel's first address space.
#include "bootloader/boot_address_space.h"

#include <string.h>

#include <vector>

#include "gtest/gtest.h"
#include "lib/elf/parse.h"
#include "lib/paging/test_env.h"

namespace hiillos::loader {
namespace {

using paging::PageSize;
using paging::TestEnv;

constexpr uint64_t kBase = uapi::kKernelBase;
constexpr uint64_t kPhys = 0x0400'0000;
constexpr uint64_t kTrampoline = 0x9000;
constexpr uint64_t k1G = 1ull << 30;

// A kernel with text (rx, 2 pages), rodata (r, 1 page) and data+bss (rw, 3 pages).
std::vector<uint8_t> KernelElf() {
  struct Load {
    uint64_t vaddr, filesz, memsz;
    uint32_t flags;
  };
  const Load loads[] = {{kBase, 0x1800, 0x1800, elf::kFlagRead | elf::kFlagExecute},
                        {kBase + 0x2000, 0x100, 0x100, elf::kFlagRead},
                        {kBase + 0x3000, 0x100, 0x3000, elf::kFlagRead | elf::kFlagWrite}};
  std::vector<uint8_t> bytes(0x8000);
  elf::FileHeader header{};
  memcpy(header.ident, elf::kMagic, 4);
  header.ident[elf::kIdentClass] = elf::kClass64;
  header.ident[elf::kIdentData] = elf::kDataLittle;
  header.ident[elf::kIdentVersion] = elf::kVersionCurrent;
  header.type = elf::kTypeExec;
  header.machine = elf::kMachineX86_64;
  header.version = elf::kVersionCurrent;
  header.entry = kBase;
  header.phoff = sizeof(header);
  header.phentsize = sizeof(elf::ProgramHeader);
  header.phnum = 3;
  memcpy(bytes.data(), &header, sizeof(header));
  for (int i = 0; i < 3; ++i) {
    elf::ProgramHeader ph{};
    ph.type = elf::kSegmentLoad;
    ph.flags = loads[i].flags;
    ph.vaddr = loads[i].vaddr;
    ph.offset = 0x1000 * (i + 1);
    ph.filesz = loads[i].filesz;
    ph.memsz = loads[i].memsz;
    ph.align = 0x1000;
    memcpy(bytes.data() + sizeof(header) + i * sizeof(ph), &ph, sizeof(ph));
  }
  return bytes;
}

class BootAddressSpaceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    bytes_ = KernelElf();
    auto parsed = elf::Parse(bytes_.data(), bytes_.size(), elf::kKernelPolicy);
    ASSERT_TRUE(parsed.ok()) << elf::ErrorString(parsed.error());
    image_ = parsed.value();
    mappings_ = {&image_, kPhys, 4 * k1G, PageSize::k1G, kTrampoline};
  }

  std::vector<uint8_t> bytes_;
  elf::Image image_;
  BootMappings mappings_;
};

TEST_F(BootAddressSpaceTest, MapsKernelHhdmAndTrampoline) {
  TestEnv env(64);
  auto built = BuildBootAddressSpace(env, mappings_);
  ASSERT_TRUE(built.ok()) << PagingErrorString(built.error().error);
  paging::AddressSpace<TestEnv> space(env, built.value());

  auto text = space.Translate(kBase + 0x1234);
  ASSERT_TRUE(text.ok());
  EXPECT_EQ(text.value().phys, kPhys + 0x1234);
  EXPECT_EQ(text.value().size, PageSize::k4K);
  EXPECT_TRUE(text.value().attrs.executable);
  EXPECT_FALSE(text.value().attrs.writable);
  EXPECT_FALSE(text.value().attrs.user);

  auto rodata = space.Translate(kBase + 0x2010);
  ASSERT_TRUE(rodata.ok());
  EXPECT_EQ(rodata.value().phys, kPhys + 0x2010);
  EXPECT_FALSE(rodata.value().attrs.executable);
  EXPECT_FALSE(rodata.value().attrs.writable);

  auto bss = space.Translate(kBase + 0x5ff8);  // last page of data+bss
  ASSERT_TRUE(bss.ok());
  EXPECT_EQ(bss.value().phys, kPhys + 0x5ff8);
  EXPECT_TRUE(bss.value().attrs.writable);
  EXPECT_FALSE(bss.value().attrs.executable);
  EXPECT_FALSE(space.Translate(kBase + 0x6000).ok());
  EXPECT_FALSE(space.Translate(kBase - 0x1000).ok());

  auto low = space.Translate(uapi::kHhdmBase + 0x1234'5678);
  ASSERT_TRUE(low.ok());
  EXPECT_EQ(low.value().phys, 0x1234'5678u);
  EXPECT_EQ(low.value().size, PageSize::k1G);
  EXPECT_TRUE(low.value().attrs.writable);
  EXPECT_FALSE(low.value().attrs.executable);
  EXPECT_FALSE(low.value().attrs.user);
  auto lapic = space.Translate(uapi::kHhdmBase + 0xfee0'0000);
  ASSERT_TRUE(lapic.ok());
  EXPECT_EQ(lapic.value().phys, 0xfee0'0000u);
  EXPECT_TRUE(space.Translate(uapi::kHhdmBase + 4 * k1G - 1).ok());
  EXPECT_FALSE(space.Translate(uapi::kHhdmBase + 4 * k1G).ok());

  auto trampoline = space.Translate(kTrampoline + 0x10);
  ASSERT_TRUE(trampoline.ok());
  EXPECT_EQ(trampoline.value().phys, kTrampoline + 0x10);
  EXPECT_TRUE(trampoline.value().attrs.executable);
  EXPECT_FALSE(trampoline.value().attrs.writable);
  // Nothing else in the lower half: not even the page next to the trampoline or page 0.
  EXPECT_FALSE(space.Translate(kTrampoline + 0x1000).ok());
  EXPECT_FALSE(space.Translate(0).ok());

  EXPECT_LE(env.pages_in_use(), static_cast<int64_t>(TablePagesNeeded(mappings_)));
  EXPECT_EQ(env.misuse(), 0);
}

TEST_F(BootAddressSpaceTest, TwoMegabytePagesWithoutPage1GB) {
  mappings_.hhdm_largest_page = PageSize::k2M;
  mappings_.hhdm_bytes = 8 * k1G;
  TestEnv env(64);
  auto built = BuildBootAddressSpace(env, mappings_);
  ASSERT_TRUE(built.ok()) << PagingErrorString(built.error().error);
  paging::AddressSpace<TestEnv> space(env, built.value());
  auto high = space.Translate(uapi::kHhdmBase + 7 * k1G + 0x30'0001);
  ASSERT_TRUE(high.ok());
  EXPECT_EQ(high.value().size, PageSize::k2M);
  EXPECT_EQ(high.value().phys, 7 * k1G + 0x30'0001);
  EXPECT_LE(env.pages_in_use(), static_cast<int64_t>(TablePagesNeeded(mappings_)));
  // 1 PML4 + 1 PDPT + 8 PDs for the HHDM alone: the estimate must cover them.
  EXPECT_GE(TablePagesNeeded(mappings_), 10u);
}

TEST_F(BootAddressSpaceTest, LargeHhdmStaysWithinEstimate) {
  mappings_.hhdm_bytes = 1024 * k1G;  // e.g. a 64-bit PCI window at 512 GiB
  TestEnv env(64);
  auto built = BuildBootAddressSpace(env, mappings_);
  ASSERT_TRUE(built.ok()) << PagingErrorString(built.error().error);
  EXPECT_LE(env.pages_in_use(), static_cast<int64_t>(TablePagesNeeded(mappings_)));
}

TEST_F(BootAddressSpaceTest, RejectsBadLayout) {
  TestEnv env(64);
  BootMappings empty = mappings_;
  empty.hhdm_bytes = 0;
  auto a = BuildBootAddressSpace(env, empty);
  ASSERT_FALSE(a.ok());
  EXPECT_EQ(a.error().step, MappingStep::kLayout);
  BootMappings too_big = mappings_;
  too_big.hhdm_bytes = uapi::kKernelBase - uapi::kHhdmBase + 0x1000;  // would reach the kernel
  EXPECT_FALSE(BuildBootAddressSpace(env, too_big).ok());
  BootMappings misaligned = mappings_;
  misaligned.kernel_phys_base += 0x10;
  EXPECT_FALSE(BuildBootAddressSpace(env, misaligned).ok());
  EXPECT_EQ(env.allocations(), 0);  // rejected before touching memory
}

TEST_F(BootAddressSpaceTest, TrampolineMustBeCanonical) {
  TestEnv env(64);
  mappings_.trampoline_phys = 1ull << 47;  // identity address in the non-canonical hole
  auto built = BuildBootAddressSpace(env, mappings_);
  ASSERT_FALSE(built.ok());
  EXPECT_EQ(built.error().step, MappingStep::kTrampoline);
  EXPECT_EQ(built.error().error, paging::Error::kNonCanonical);
}

TEST_F(BootAddressSpaceTest, OutOfTablePagesAtEveryStep) {
  TestEnv probe(64);
  ASSERT_TRUE(BuildBootAddressSpace(probe, mappings_).ok());
  const int64_t needed = probe.allocations();
  for (int64_t n = 0; n < needed; ++n) {
    TestEnv env(64);
    env.FailAfter(n);
    auto built = BuildBootAddressSpace(env, mappings_);
    ASSERT_FALSE(built.ok()) << n;
    EXPECT_EQ(built.error().error, paging::Error::kOutOfMemory) << n;
    EXPECT_EQ(env.misuse(), 0);
  }
}

TEST(BootAddressSpaceStrings, AllNamed) {
  EXPECT_STREQ(MappingStepString(MappingStep::kHhdm), "the direct map (HHDM)");
  EXPECT_STREQ(PagingErrorString(paging::Error::kOutOfMemory), "out of page-table pages");
  EXPECT_STRNE(PagingErrorString(paging::Error::kWriteAndExecute), "unknown paging error");
}

}  // namespace
}  // namespace hiillos::loader
