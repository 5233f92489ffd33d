// kernel/arch/x86_64/exception_info_test.cc — host tests for exception names and error decoding.
#include "kernel/arch/x86_64/exception_info.h"

#include <string.h>

#include <string>

#include "gtest/gtest.h"

namespace hiillos::arch {
namespace {

std::string Describe(uint64_t vector, uint64_t code, size_t size = 128) {
  char buffer[128];
  return DescribeErrorCode(vector, code, buffer, size);
}

TEST(ExceptionInfo, NamesAndMnemonics) {
  EXPECT_STREQ(ExceptionMnemonic(14), "#PF");
  EXPECT_STREQ(ExceptionName(14), "page fault");
  EXPECT_STREQ(ExceptionMnemonic(0), "#DE");
  EXPECT_STREQ(ExceptionMnemonic(13), "#GP");
  EXPECT_STREQ(ExceptionMnemonic(6), "#UD");
  EXPECT_STREQ(ExceptionMnemonic(8), "#DF");
  EXPECT_STREQ(ExceptionName(15), "reserved");
  EXPECT_STREQ(ExceptionMnemonic(32), "#??");
  EXPECT_STREQ(ExceptionName(200), "interrupt");
  EXPECT_STREQ(ExceptionName(~0ull), "interrupt");
}

TEST(ExceptionInfo, ErrorCodeVectorsMatchTheSdm) {
  // SDM Vol.3A Table 6-1; interrupt_entry.S hard-codes the same list.
  const uint64_t with_code[] = {8, 10, 11, 12, 13, 14, 17, 21, 29, 30};
  for (uint64_t vector = 0; vector < 256; ++vector) {
    bool expected = false;
    for (uint64_t v : with_code) expected |= v == vector;
    EXPECT_EQ(ExceptionHasErrorCode(vector), expected) << vector;
  }
}

TEST(ExceptionInfo, AbortLike) {
  EXPECT_TRUE(ExceptionIsAbortLike(2));
  EXPECT_TRUE(ExceptionIsAbortLike(8));
  EXPECT_TRUE(ExceptionIsAbortLike(18));
  EXPECT_FALSE(ExceptionIsAbortLike(14));
  EXPECT_FALSE(ExceptionIsAbortLike(13));
  EXPECT_FALSE(ExceptionIsAbortLike(0));
}

TEST(ExceptionInfo, PageFaultErrorCodes) {
  EXPECT_EQ(Describe(14, 0x0), "not-present read kernel");
  EXPECT_EQ(Describe(14, 0x2), "not-present write kernel");
  EXPECT_EQ(Describe(14, 0x3), "protection write kernel");
  EXPECT_EQ(Describe(14, 0x11), "protection ifetch kernel");
  EXPECT_EQ(Describe(14, 0x7), "protection write user");
  EXPECT_EQ(Describe(14, 0x9), "protection read kernel reserved-bit");
  EXPECT_EQ(Describe(14, 0x8061), "protection read kernel protection-key shadow-stack sgx");
}

TEST(ExceptionInfo, SelectorErrorCodes) {
  EXPECT_EQ(Describe(13, 0), "");
  EXPECT_EQ(Describe(13, 0x30), "selector 0x30 gdt");
  EXPECT_EQ(Describe(13, 0x34), "selector 0x30 ldt");
  EXPECT_EQ(Describe(13, (14 << 3) | 2), "vector 14 idt");
  EXPECT_EQ(Describe(11, (33 << 3) | 3), "vector 33 idt external");
  EXPECT_EQ(Describe(6, 0x1234), "");  // #UD has no error code to decode
}

TEST(ExceptionInfo, DescriptionIsTruncatedSafely) {
  char buffer[8];
  memset(buffer, 'x', sizeof(buffer));
  DescribeErrorCode(14, 0x3, buffer, sizeof(buffer));
  EXPECT_EQ(strlen(buffer), 7u);
  EXPECT_STREQ(buffer, "protect");
  char one[1] = {'x'};
  DescribeErrorCode(14, 0x3, one, 1);
  EXPECT_EQ(one[0], '\0');
  DescribeErrorCode(14, 0x3, nullptr, 0);  // must not touch the buffer
}

}  // namespace
}  // namespace hiillos::arch
