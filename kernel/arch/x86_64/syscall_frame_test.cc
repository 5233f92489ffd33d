// kernel/arch/x86_64/syscall_frame_test.cc — user-return checks of syscall frames.
#include "kernel/arch/x86_64/syscall_frame.h"

#include <gtest/gtest.h>

namespace hiillos::arch {
namespace {

InterruptFrame UserFrame(uint64_t rip, uint64_t rflags) {
  InterruptFrame frame{};
  frame.rip = rip;
  frame.rcx = rip;
  frame.rflags = rflags;
  frame.r11 = rflags;
  frame.cs = kUserCodeSelector;
  frame.ss = kUserDataSelector;
  frame.vector = kSyscallVector;
  return frame;
}

TEST(SyscallFrameTest, FlagMaskClearsInterruptsAndDangerousFlags) {
  EXPECT_NE(kSyscallFlagMask & kRflagsIf, 0u);
  EXPECT_NE(kSyscallFlagMask & kRflagsAc, 0u);
  EXPECT_NE(kSyscallFlagMask & kRflagsTrap, 0u);
  EXPECT_NE(kSyscallFlagMask & kRflagsDirection, 0u);
  EXPECT_NE(kSyscallFlagMask & kRflagsNestedTask, 0u);
}

TEST(SyscallFrameTest, SanitizeForcesIfAndDropsPrivilegedBits) {
  EXPECT_EQ(SanitizeUserRflags(0), kRflagsIf | kRflagsReserved1);
  uint64_t all = ~0ull;
  uint64_t clean = SanitizeUserRflags(all);
  EXPECT_EQ(clean & kRflagsIopl, 0u);
  EXPECT_EQ(clean & kRflagsNestedTask, 0u);
  EXPECT_EQ(clean & kRflagsTrap, 0u);
  EXPECT_EQ(clean & (1ull << 16), 0u);  // RF
  EXPECT_EQ(clean & (1ull << 17), 0u);  // VM
  EXPECT_EQ(clean & (1ull << 21), 0u);  // ID
  EXPECT_NE(clean & kRflagsCarry, 0u);
  EXPECT_NE(clean & kRflagsZero, 0u);
  EXPECT_NE(clean & kRflagsIf, 0u);
}

TEST(SyscallFrameTest, SysretOnlyWhenItMatchesIret) {
  const uint64_t flags = kRflagsIf | kRflagsReserved1;
  InterruptFrame frame = UserFrame(0x401000, flags);
  EXPECT_TRUE(PrepareUserReturn(frame));

  frame = UserFrame(0x401000, flags);
  frame.rcx = 7;  // SetRegs changed rcx: only IRETQ restores it
  EXPECT_FALSE(PrepareUserReturn(frame));

  frame = UserFrame(0x401000, flags | kRflagsIopl);  // IOPL from a bad SetRegs: stripped
  EXPECT_FALSE(PrepareUserReturn(frame));            // r11 no longer equals the clean flags
  EXPECT_EQ(frame.rflags & kRflagsIopl, 0u);

  frame = UserFrame(0x0000'8000'0000'0000ull, flags);  // non-canonical
  EXPECT_FALSE(PrepareUserReturn(frame));
  frame = UserFrame(0xffff'ffff'8000'0000ull, flags);  // kernel half
  EXPECT_FALSE(PrepareUserReturn(frame));
}

TEST(SyscallFrameTest, PrepareForcesUserSelectors) {
  InterruptFrame frame = UserFrame(0x401000, kRflagsIf | kRflagsReserved1);
  frame.cs = kKernelCodeSelector;
  frame.ss = kKernelDataSelector;
  PrepareUserReturn(frame);
  EXPECT_EQ(frame.cs, kUserCodeSelector);
  EXPECT_EQ(frame.ss, kUserDataSelector);
}

// PrepareSyscallReturn leaves what the syscall path's `rcx = rip; r11 = sanitised rflags;
// PrepareUserReturn` leaves, and gives the same answer.
TEST(SyscallFrameTest, SyscallReturnMatchesTheLongWay) {
  const uint64_t rips[] = {0x401000, 0x0000'7fff'ffff'f000ull, 0x0000'8000'0000'0000ull,
                           0xffff'ffff'8000'0000ull};
  const uint64_t flags[] = {0, kRflagsIf | kRflagsReserved1, ~0ull, kRflagsIopl | kRflagsCarry};
  for (uint64_t rip : rips) {
    for (uint64_t rflags : flags) {
      InterruptFrame a{};
      a.rip = rip;
      a.rflags = rflags;
      a.rcx = 5;  // clobbered by SYSCALL
      a.r11 = 6;
      a.rax = 7;
      a.cs = 0x08;  // whatever: both set the user selectors
      a.ss = 0x10;
      InterruptFrame b = a;
      a.rcx = a.rip;
      a.r11 = SanitizeUserRflags(a.rflags);
      const bool long_way = PrepareUserReturn(a);
      EXPECT_EQ(PrepareSyscallReturn(b), long_way);
      EXPECT_EQ(b.rcx, a.rcx);
      EXPECT_EQ(b.r11, a.r11);
      EXPECT_EQ(b.rflags, a.rflags);
      EXPECT_EQ(b.cs, a.cs);
      EXPECT_EQ(b.ss, a.ss);
      EXPECT_EQ(b.rax, a.rax);
      EXPECT_EQ(b.rip, a.rip);
    }
  }
}

}  // namespace
}  // namespace hiillos::arch
