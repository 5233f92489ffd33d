// kernel/arch/x86_64/segments_test.cc — host tests for GDT/TSS encodings and the STAR layout.
#include "kernel/arch/x86_64/segments.h"

#include "gtest/gtest.h"
#include "kernel/arch/x86_64/interrupt_frame.h"

namespace hiillos::arch {
namespace {

TEST(Segments, SelectorsFollowSyscallSysretRules) {
  uint16_t syscall_cs = (kStarValue >> 32) & 0xffff;
  uint16_t sysret_base = (kStarValue >> 48) & 0xffff;
  EXPECT_EQ(syscall_cs, kKernelCodeSelector);
  EXPECT_EQ(syscall_cs + 8, kKernelDataSelector);
  EXPECT_EQ((sysret_base + 16) | 3, kUserCodeSelector);
  EXPECT_EQ((sysret_base + 8) | 3, kUserDataSelector);
  EXPECT_EQ(kKernelCodeSelector, 0x08);
  EXPECT_EQ(kKernelDataSelector, 0x10);
  EXPECT_EQ(kUserDataSelector, 0x23);
  EXPECT_EQ(kUserCodeSelector, 0x2b);
  EXPECT_EQ(kTssSelector, 0x30);
  EXPECT_EQ(kStarValue & 0xffff'ffffull, 0u);
}

TEST(Segments, CodeAndDataDescriptorBits) {
  uint64_t kernel_code = CodeDescriptor(0);
  EXPECT_TRUE(kernel_code & kDescLongMode);
  EXPECT_FALSE(kernel_code & kDescDefault32);  // L=1 requires D=0 (SDM §3.4.5)
  EXPECT_EQ((kernel_code >> 45) & 3, 0u);
  EXPECT_EQ((CodeDescriptor(3) >> 45) & 3, 3u);
  EXPECT_EQ((DataDescriptor(3) >> 45) & 3, 3u);
  EXPECT_FALSE(DataDescriptor(0) & kDescExecutable);
  EXPECT_TRUE(DataDescriptor(0) & kDescReadWrite);
}

TEST(Segments, TssDescriptorSplitsBaseAndLimit) {
  uint64_t base = 0xffff'ffff'8012'3456ull;
  TssDescriptor d = MakeTssDescriptor(base, sizeof(Tss) - 1);
  EXPECT_EQ(d.low & 0xffff, sizeof(Tss) - 1);              // limit 15:0
  EXPECT_EQ((d.low >> 16) & 0xff'ffff, base & 0xff'ffff);  // base 23:0
  EXPECT_EQ((d.low >> 40) & 0xf, 0x9u);                    // available 64-bit TSS
  EXPECT_EQ((d.low >> 44) & 1, 0u);                        // S = 0: system descriptor
  EXPECT_EQ((d.low >> 47) & 1, 1u);                        // present
  EXPECT_EQ((d.low >> 48) & 0xf, 0u);                      // limit 19:16
  EXPECT_EQ((d.low >> 56) & 0xff, (base >> 24) & 0xff);    // base 31:24
  EXPECT_EQ(d.high, base >> 32);                           // base 63:32, rest reserved 0

  TssDescriptor big = MakeTssDescriptor(0x1234'5678, 0xa'bcde);
  EXPECT_EQ(big.low & 0xffff, 0xbcdeu);
  EXPECT_EQ((big.low >> 48) & 0xf, 0xau);
  EXPECT_EQ(big.high, 0u);
}

TEST(Segments, IstSlotsAreDistinctAndInRange) {
  const uint8_t slots[] = {kIstDoubleFault, kIstNmi, kIstMachineCheck, kIstPageFault};
  for (size_t i = 0; i < 4; ++i) {
    EXPECT_GE(slots[i], 1);
    EXPECT_LE(slots[i], kIstCount);
    for (size_t j = 0; j < i; ++j) EXPECT_NE(slots[i], slots[j]);
  }
  EXPECT_EQ(kIstStackSize % 16, 0u);
}

TEST(Segments, InterruptFrameKeepsStackAlignment) {
  // 15 GPRs + vector + error code + 5 CPU words = 22 words; the stub's extra frame record adds
  // 2: the call into C++ happens on a 16-byte aligned stack.
  EXPECT_EQ(sizeof(InterruptFrame), 176u);
  EXPECT_EQ((sizeof(InterruptFrame) + 16) % 16, 0u);
}

}  // namespace
}  // namespace hiillos::arch
