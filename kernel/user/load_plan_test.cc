// kernel/user/load_plan_test.cc — PlanLoad: frame sizes, copy ranges, flags, rejections.
#include "kernel/user/load_plan.h"

#include <gtest/gtest.h>

#include <vector>

#include "kernel/user/layout.h"
#include "uapi/syscalls.h"

namespace hiillos::user {
namespace {

using elf::kFlagExecute;
using elf::kFlagRead;
using elf::kFlagWrite;

elf::Segment Seg(uint64_t vaddr, uint64_t memsz, uint64_t offset, uint64_t filesz, uint32_t flags) {
  return elf::Segment{vaddr, memsz, offset, filesz, flags};
}

// Replays a plan onto a fake address space and checks it reproduces each segment exactly:
// file bytes where filesz says, zeros elsewhere, every page covered once.
void CheckPlanReproduces(const std::vector<elf::Segment>& segments, const LoadPlan& plan) {
  std::vector<std::pair<uint64_t, uint64_t>> covered;
  for (size_t i = 0; i < plan.count; ++i) {
    const LoadChunk& c = plan.chunks[i];
    uint64_t size = kPageSize << c.order;
    EXPECT_EQ(c.vaddr % kPageSize, 0u);
    EXPECT_LE(c.copy_offset + c.copy_size, size);
    for (auto [base, end] : covered) EXPECT_TRUE(c.vaddr >= end || c.vaddr + size <= base);
    covered.push_back({c.vaddr, c.vaddr + size});
    // The copy must come from the segment that contains the chunk.
    bool found = false;
    for (const auto& s : segments) {
      uint64_t first = s.vaddr & ~(kPageSize - 1);
      if (c.vaddr < first || c.vaddr >= s.vaddr + s.memsz) continue;
      found = true;
      EXPECT_LE(c.vaddr + size, (s.vaddr + s.memsz + kPageSize - 1) & ~(kPageSize - 1));
      EXPECT_EQ(c.flags, SegmentMapFlags(s));
      // Every byte of the chunk: is it file data, and from which offset?
      for (uint64_t va = c.vaddr; va < c.vaddr + size; va += 0x100) {
        bool file_byte = va >= s.vaddr && va < s.vaddr + s.filesz;
        uint64_t in_chunk = va - c.vaddr;
        bool copied = in_chunk >= c.copy_offset && in_chunk < c.copy_offset + c.copy_size;
        ASSERT_EQ(file_byte, copied) << std::hex << va;
        if (copied)
          ASSERT_EQ(c.file_offset + (in_chunk - c.copy_offset), s.offset + (va - s.vaddr));
      }
    }
    EXPECT_TRUE(found) << std::hex << c.vaddr;
  }
  // Every page of every segment is covered.
  for (const auto& s : segments) {
    for (uint64_t va = s.vaddr & ~(kPageSize - 1); va < s.vaddr + s.memsz; va += kPageSize) {
      bool hit = false;
      for (auto [base, end] : covered) hit = hit || (va >= base && va < end);
      EXPECT_TRUE(hit) << std::hex << va;
    }
  }
}

TEST(LoadPlanTest, TypicalProgram) {
  std::vector<elf::Segment> segments = {
      Seg(0x400000, 0x2345, 0x1000, 0x2345, kFlagRead | kFlagExecute),  // text: 3 pages
      Seg(0x403000, 0x800, 0x4000, 0x800, kFlagRead),                   // rodata
      Seg(0x404000, 0x9000, 0x5000, 0x120, kFlagRead | kFlagWrite),     // data + big bss
  };
  auto plan = PlanLoad(segments.data(), segments.size());
  ASSERT_TRUE(plan.ok());
  // 3 pages -> 2 + 1; 1 page; 9 pages -> 8 + 1.
  ASSERT_EQ(plan.value().count, 5u);
  EXPECT_EQ(plan.value().chunks[0].order, 1u);
  EXPECT_EQ(plan.value().chunks[1].order, 0u);
  EXPECT_EQ(plan.value().chunks[3].order, 3u);
  EXPECT_EQ(plan.value().chunks[0].flags, uapi::kMapRead | uapi::kMapExecute);
  EXPECT_EQ(plan.value().chunks[2].flags, uapi::kMapRead);
  EXPECT_EQ(plan.value().chunks[3].flags, uapi::kMapRead | uapi::kMapWrite);
  EXPECT_EQ(plan.value().chunks[4].copy_size, 0u);  // pure bss
  CheckPlanReproduces(segments, plan.value());
}

TEST(LoadPlanTest, UnalignedSegmentStartsCopyMidPage) {
  std::vector<elf::Segment> segments = {Seg(0x600123, 0x2000, 0x123, 0x1f00, kFlagRead)};
  auto plan = PlanLoad(segments.data(), segments.size());
  ASSERT_TRUE(plan.ok());
  EXPECT_EQ(plan.value().chunks[0].vaddr, 0x600000u);
  EXPECT_EQ(plan.value().chunks[0].copy_offset, 0x123u);
  CheckPlanReproduces(segments, plan.value());
}

TEST(LoadPlanTest, LargeSegmentsUseSeveralMaximalChunks) {
  std::vector<elf::Segment> segments = {
      Seg(0x1000000, 5ull << 20, 0x1000, 0x3000, kFlagRead | kFlagWrite)};
  auto plan = PlanLoad(segments.data(), segments.size());
  ASSERT_TRUE(plan.ok());
  ASSERT_EQ(plan.value().count, 3u);  // 2 MiB + 2 MiB + 1 MiB
  EXPECT_EQ(plan.value().chunks[0].order, kMaxLoadChunkOrder);
  EXPECT_EQ(plan.value().chunks[2].order, 8u);
  CheckPlanReproduces(segments, plan.value());
}

TEST(LoadPlanTest, RejectsWhatTheValidatorRulesOut) {
  elf::Segment wx = Seg(0x400000, 0x1000, 0, 0x1000, kFlagRead | kFlagWrite | kFlagExecute);
  EXPECT_EQ(PlanLoad(&wx, 1).error(), uapi::Status::kInvalidArgument);
  elf::Segment file_too_big = Seg(0x400000, 0x1000, 0, 0x1001, kFlagRead);
  EXPECT_EQ(PlanLoad(&file_too_big, 1).error(), uapi::Status::kInvalidArgument);
  elf::Segment kernel = Seg(0xffff'8000'0000'0000ull, 0x1000, 0, 0, kFlagRead);
  EXPECT_EQ(PlanLoad(&kernel, 1).error(), uapi::Status::kInvalidArgument);
  elf::Segment null_page = Seg(0x0, 0x1000, 0, 0, kFlagRead);
  EXPECT_EQ(PlanLoad(&null_page, 1).error(), uapi::Status::kInvalidArgument);
  elf::Segment wraps = Seg(~0ull - 0x10, 0x100, 0, 0, kFlagRead);
  EXPECT_EQ(PlanLoad(&wraps, 1).error(), uapi::Status::kInvalidArgument);
  elf::Segment last_page = Seg(kUserEnd, 0x10, 0, 0, kFlagRead);
  EXPECT_EQ(PlanLoad(&last_page, 1).error(), uapi::Status::kInvalidArgument);
  elf::Segment offset_wraps = Seg(0x400000, 0x1000, ~0ull, 0x10, kFlagRead);
  EXPECT_EQ(PlanLoad(&offset_wraps, 1).error(), uapi::Status::kInvalidArgument);
}

TEST(LoadPlanTest, TooManyChunksIsOutOfMemory) {
  // 63 pages need 6 chunks each (32+16+8+4+2+1); 11 such segments exceed 64 chunks.
  std::vector<elf::Segment> segments;
  for (uint64_t i = 0; i < 11; ++i)
    segments.push_back(Seg(0x1000000 + i * 0x100000, 63 * 0x1000, 0, 0, kFlagRead));
  EXPECT_EQ(PlanLoad(segments.data(), segments.size()).error(), uapi::Status::kOutOfMemory);
  segments.resize(10);
  EXPECT_TRUE(PlanLoad(segments.data(), segments.size()).ok());
}

TEST(LoadPlanTest, EmptyInputIsAnEmptyPlan) {
  auto plan = PlanLoad(nullptr, 0);
  ASSERT_TRUE(plan.ok());
  EXPECT_EQ(plan.value().count, 0u);
}

}  // namespace
}  // namespace hiillos::user
