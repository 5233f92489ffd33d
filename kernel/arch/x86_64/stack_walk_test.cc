// kernel/arch/x86_64/stack_walk_test.cc — host tests for the frame-pointer walker on fake stacks.
#include "kernel/arch/x86_64/stack_walk.h"

#include <map>
#include <vector>

#include "gtest/gtest.h"

namespace hiillos::arch {
namespace {

constexpr uint64_t kText = 0xffff'ffff'8000'0000ull;
constexpr uint64_t kStack = 0xffff'8000'0010'0000ull;

// A sparse fake memory: reads of unknown addresses fail (like a probe on an unmapped page).
struct FakeMemory {
  std::map<uint64_t, uint64_t> words;
  int reads = 0;
  void Frame(uint64_t rbp, uint64_t next, uint64_t return_address) {
    words[rbp] = next;
    words[rbp + 8] = return_address;
  }
};

bool Read(void* context, uint64_t address, uint64_t* value) {
  auto* memory = static_cast<FakeMemory*>(context);
  ++memory->reads;
  auto it = memory->words.find(address);
  if (it == memory->words.end()) return false;
  *value = it->second;
  return true;
}

StackWalkLimits Limits() {
  return StackWalkLimits{kText, kText + 0x10'0000, 0xffff'8000'0000'0000ull, 64 * 1024, 2};
}

std::vector<uint64_t> Walk(FakeMemory& memory, uint64_t rbp, size_t max = 32,
                           StackWalkLimits limits = Limits()) {
  std::vector<uint64_t> out(max);
  size_t count = WalkFramePointers(rbp, limits, Read, &memory, out.data(), max);
  out.resize(count);
  return out;
}

TEST(StackWalk, FollowsAChainToTheZeroTerminator) {
  FakeMemory memory;
  memory.Frame(kStack, kStack + 0x40, kText + 0x100);
  memory.Frame(kStack + 0x40, kStack + 0x100, kText + 0x200);
  memory.Frame(kStack + 0x100, 0, kText + 0x300);
  EXPECT_EQ(Walk(memory, kStack),
            (std::vector<uint64_t>{kText + 0x100, kText + 0x200, kText + 0x300}));
}

TEST(StackWalk, StopsOnUnreadableMemory) {
  FakeMemory memory;
  memory.Frame(kStack, kStack + 0x40, kText + 0x100);  // next frame is not "mapped"
  EXPECT_EQ(Walk(memory, kStack), (std::vector<uint64_t>{kText + 0x100}));
  EXPECT_TRUE(Walk(memory, kStack + 0x1000).empty());
}

TEST(StackWalk, RejectsBadFramePointers) {
  FakeMemory memory;
  memory.Frame(kStack + 4, 0, kText + 0x100);
  EXPECT_TRUE(Walk(memory, 0).empty());
  EXPECT_TRUE(Walk(memory, kStack + 4).empty()) << "misaligned";
  memory.Frame(0x1000, 0, kText + 0x100);
  EXPECT_TRUE(Walk(memory, 0x1000).empty()) << "below the kernel half";
  EXPECT_TRUE(Walk(memory, ~0ull - 7).empty()) << "would wrap";
  EXPECT_EQ(memory.reads, 0) << "nothing read for rejected pointers";
}

TEST(StackWalk, StopsAtReturnAddressOutsideText) {
  FakeMemory memory;
  memory.Frame(kStack, kStack + 0x40, kText + 0x100);
  memory.Frame(kStack + 0x40, kStack + 0x80, 0x4000'1000);  // user address
  memory.Frame(kStack + 0x80, 0, kText + 0x300);
  EXPECT_EQ(Walk(memory, kStack), (std::vector<uint64_t>{kText + 0x100}));
}

TEST(StackWalk, LoopsAndDownwardChainsAreBounded) {
  FakeMemory self_loop;
  self_loop.Frame(kStack, kStack, kText + 0x100);
  EXPECT_EQ(Walk(self_loop, kStack).size(), 1u);

  // A two-frame cycle goes "down" every second step: allowed twice, then the walk stops.
  FakeMemory cycle;
  cycle.Frame(kStack, kStack + 0x40, kText + 0x100);
  cycle.Frame(kStack + 0x40, kStack, kText + 0x200);
  EXPECT_EQ(Walk(cycle, kStack).size(), 6u);

  StackWalkLimits strict = Limits();
  strict.max_stack_switches = 0;
  EXPECT_EQ(Walk(cycle, kStack, 32, strict).size(), 2u);
}

TEST(StackWalk, OneSwitchToAnotherStackIsFollowed) {
  // An IST frame (high) whose record points at the interrupted stack (lower addresses).
  constexpr uint64_t kIst = 0xffff'ffff'8100'0000ull;
  FakeMemory memory;
  memory.Frame(kIst, kIst + 0x30, kText + 0x100);
  memory.Frame(kIst + 0x30, kStack, kText + 0x200);  // the frame record: interrupted RBP
  memory.Frame(kStack, kStack + 0x50, kText + 0x300);
  memory.Frame(kStack + 0x50, 0, kText + 0x400);
  EXPECT_EQ(Walk(memory, kIst).size(), 4u);
}

TEST(StackWalk, HugeStepCountsAsASwitch) {
  FakeMemory memory;
  uint64_t far = kStack + 0x100'0000;
  memory.Frame(kStack, far, kText + 0x100);
  memory.Frame(far, 0, kText + 0x200);
  StackWalkLimits strict = Limits();
  strict.max_stack_switches = 0;
  EXPECT_EQ(Walk(memory, kStack, 32, strict).size(), 1u);
  EXPECT_EQ(Walk(memory, kStack).size(), 2u);
}

TEST(StackWalk, RespectsTheOutputCapacity) {
  FakeMemory memory;
  for (uint64_t i = 0; i < 100; ++i) {
    memory.Frame(kStack + i * 0x20, kStack + (i + 1) * 0x20, kText + i);
  }
  EXPECT_EQ(Walk(memory, kStack, 10).size(), 10u);
  EXPECT_TRUE(Walk(memory, kStack, 0).empty());
}

}  // namespace
}  // namespace hiillos::arch
