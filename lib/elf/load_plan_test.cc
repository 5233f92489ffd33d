// lib/elf/load_plan_test.cc — host tests for PlanLoad: chunking, copies, and every re-check.
#include "lib/elf/load_plan.h"

#include <vector>

#include "gtest/gtest.h"
#include "lib/elf/elf_builder.h"
#include "lib/elf/parse.h"

namespace hiillos::elf {
namespace {

constexpr uint64_t kUserBase = 0x400000;

Image ParseUser(std::vector<uint8_t>& bytes) {
  auto image = Parse(bytes.data(), bytes.size(), kUserPolicy);
  EXPECT_TRUE(image.ok()) << (image.ok() ? "" : ErrorString(image.error()));
  return image.value();
}

// The image of a typical user program: text RX, rodata R, data+bss RW.
ElfBuilder UserProgram() {
  ElfBuilder b;
  b.AddLoad(kUserBase, 0x1800, 0x1800, kFlagRead | kFlagExecute);
  b.AddLoad(kUserBase + 0x2000, 0x100, 0x100, kFlagRead);
  b.AddLoad(kUserBase + 0x3000, 0x80, 0x5000, kFlagRead | kFlagWrite);
  b.header().entry = kUserBase;
  return b;
}

TEST(LoadPlan, TypicalProgram) {
  ElfBuilder b = UserProgram();
  std::vector<uint8_t> bytes = b.Bytes();
  Image image = ParseUser(bytes);
  auto plan = PlanLoad(image, bytes.size(), kUserPolicy);
  ASSERT_TRUE(plan.ok()) << ErrorString(plan.error());
  EXPECT_EQ(plan.value().entry, kUserBase);
  // text: 2 pages (order 1); rodata: 1 page; data: 5 pages = order 2 + order 0.
  ASSERT_EQ(plan.value().count, 4u);
  const LoadChunk* c = plan.value().chunks;
  EXPECT_EQ(c[0].vaddr, kUserBase);
  EXPECT_EQ(c[0].order, 1u);
  EXPECT_EQ(c[0].flags, kFlagRead | kFlagExecute);
  EXPECT_EQ(c[0].copy_offset, 0u);
  EXPECT_EQ(c[0].file_offset, image.segment(0).offset);
  EXPECT_EQ(c[0].copy_size, 0x1800u);
  EXPECT_EQ(c[1].vaddr, kUserBase + 0x2000);
  EXPECT_EQ(c[1].flags, uint32_t{kFlagRead});
  EXPECT_EQ(c[1].copy_size, 0x100u);
  EXPECT_EQ(c[2].vaddr, kUserBase + 0x3000);
  EXPECT_EQ(c[2].order, 2u);
  EXPECT_EQ(c[2].flags, kFlagRead | kFlagWrite);
  EXPECT_EQ(c[2].copy_size, 0x80u);
  EXPECT_EQ(c[3].vaddr, kUserBase + 0x7000);
  EXPECT_EQ(c[3].order, 0u);
  EXPECT_EQ(c[3].copy_size, 0u);  // bss only
}

TEST(LoadPlan, UnalignedSegmentCopiesMidPage) {
  ElfBuilder b;
  b.AddLoad(kUserBase + 0x123, 0x2000, 0x2000, kFlagRead | kFlagExecute);
  b.header().entry = kUserBase + 0x123;
  std::vector<uint8_t> bytes = b.Bytes();
  Image image = ParseUser(bytes);
  auto plan = PlanLoad(image, bytes.size(), kUserPolicy);
  ASSERT_TRUE(plan.ok());
  // Pages [0x400000, 0x403000): order 1 then order 0; the copy starts 0x123 into the first.
  ASSERT_EQ(plan.value().count, 2u);
  const LoadChunk* c = plan.value().chunks;
  EXPECT_EQ(c[0].copy_offset, 0x123u);
  EXPECT_EQ(c[0].copy_size, 0x2000u - 0x123u);
  EXPECT_EQ(c[0].file_offset, image.segment(0).offset);
  EXPECT_EQ(c[1].copy_offset, 0u);
  EXPECT_EQ(c[1].copy_size, 0x123u);
  EXPECT_EQ(c[1].file_offset, image.segment(0).offset + 0x2000 - 0x123);
}

TEST(LoadPlan, LargeSegmentsUseMaximalChunks) {
  ElfBuilder b;
  b.AddLoad(kUserBase, 0x10, 5 * 0x200000 + 0x1000, kFlagRead | kFlagWrite);
  b.AddLoad(kUserBase + 0x1000000, 0x10, 0x1000, kFlagRead | kFlagExecute);
  b.header().entry = kUserBase + 0x1000000;
  std::vector<uint8_t> bytes = b.Bytes();
  Image image = ParseUser(bytes);
  auto plan = PlanLoad(image, bytes.size(), kUserPolicy);
  ASSERT_TRUE(plan.ok());
  ASSERT_EQ(plan.value().count, 7u);
  for (size_t i = 0; i < 5; ++i) EXPECT_EQ(plan.value().chunks[i].order, kMaxLoadChunkOrder);
  EXPECT_EQ(plan.value().chunks[5].order, 0u);
  EXPECT_EQ(plan.value().chunks[1].copy_size, 0u);
}

Result<LoadPlan, Error> PlanSegments(const std::vector<Segment>& segments, uint64_t file_size) {
  // An ELF whose segments Parse accepts under a permissive policy, planned under the user
  // policy: the planner's own range check must catch it.
  ElfBuilder b;
  for (const Segment& s : segments) b.AddLoad(s.vaddr, s.filesz, s.memsz, s.flags);
  b.header().entry = segments[0].vaddr;
  std::vector<uint8_t> bytes = b.Bytes();
  auto image = Parse(bytes.data(), bytes.size(), Policy{0, ~0ull, false});
  if (!image.ok()) return Err(image.error());
  return PlanLoad(image.value(), file_size ? file_size : bytes.size(), kUserPolicy);
}

TEST(LoadPlan, RechecksThePolicy) {
  auto kernel =
      PlanSegments({{0xffff'ffff'8000'0000ull, 0x1000, 0, 0x10, kFlagRead | kFlagExecute}}, 0);
  EXPECT_EQ(kernel.error(), Error::kAddressOutOfRange);
  auto null_page = PlanSegments({{0x0, 0x1000, 0, 0x10, kFlagRead | kFlagExecute}}, 0);
  EXPECT_EQ(null_page.error(), Error::kAddressOutOfRange);
  auto straddle =
      PlanSegments({{0x0000'7fff'ffff'f000ull, 0x2000, 0, 0x10, kFlagRead | kFlagExecute}}, 0);
  EXPECT_EQ(straddle.error(), Error::kAddressOutOfRange);
}

TEST(LoadPlan, RechecksTheFileRange) {
  ElfBuilder b = UserProgram();
  std::vector<uint8_t> bytes = b.Bytes();
  Image image = ParseUser(bytes);
  // The same image against a shorter file: its last segment's bytes are no longer inside.
  EXPECT_EQ(PlanLoad(image, image.segment(2).offset + 0x7f, kUserPolicy).error(),
            Error::kSegmentOutOfBounds);
  EXPECT_TRUE(PlanLoad(image, image.segment(2).offset + 0x80, kUserPolicy).ok());
}

TEST(LoadPlan, TooManyChunks) {
  // 15 segments of 63 pages take 6 chunks each (orders 5, 4, 3, 2, 1, 0): 90 > 64.
  ElfBuilder big;
  for (int i = 0; i < 15; ++i) big.AddLoad(kUserBase + i * 0x100000, 0, 0x3f000, kFlagRead);
  big.AddLoad(kUserBase + 0x2000000, 0x10, 0x1000, kFlagRead | kFlagExecute);
  big.header().entry = kUserBase + 0x2000000;
  std::vector<uint8_t> big_bytes = big.Bytes();
  Image image = ParseUser(big_bytes);
  EXPECT_EQ(PlanLoad(image, big_bytes.size(), kUserPolicy).error(), Error::kTooManyChunks);
}

TEST(LoadPlan, RealUserProgramPlansWithinItsFile) {
  ElfBuilder b = UserProgram();
  std::vector<uint8_t> bytes = b.Bytes();
  Image image = ParseUser(bytes);
  auto plan = PlanLoad(image, bytes.size(), kUserPolicy);
  ASSERT_TRUE(plan.ok());
  for (size_t i = 0; i < plan.value().count; ++i) {
    const LoadChunk& c = plan.value().chunks[i];
    EXPECT_EQ(c.vaddr % kPageSize, 0u);
    EXPECT_LE(c.copy_offset + c.copy_size, c.size());
    EXPECT_LE(c.file_offset + c.copy_size, bytes.size());
    EXPECT_FALSE((c.flags & kFlagWrite) && (c.flags & kFlagExecute));
  }
}

}  // namespace
}  // namespace hiillos::elf
