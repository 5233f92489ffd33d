// Host tests for the freestanding formatter, checked against the C library's snprintf.
#include "lib/format/format.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstdio>
#include <string>

namespace hiillos::format {
namespace {

std::string Fmt(const char* fmt, ...) {
  char buffer[256];
  va_list args;
  va_start(args, fmt);
  VFormatToBuffer(buffer, sizeof(buffer), fmt, args);
  va_end(args);
  return buffer;
}

TEST(FormatTest, MatchesSnprintfForCommonConversions) {
  char expected[256];
  snprintf(expected, sizeof(expected), "%d|%5d|%-5d|%05d|%u|%x|%X|%08lx|%s|%-6s|%c|%%", -42, 7, 7,
           -7, 4000000000u, 0xbeef, 0xBEEF, 0x1234ul, "hi", "ab", 'z');
  EXPECT_EQ(Fmt("%d|%5d|%-5d|%05d|%u|%x|%X|%08lx|%s|%-6s|%c|%%", -42, 7, 7, -7, 4000000000u, 0xbeef,
                0xBEEF, 0x1234ul, "hi", "ab", 'z'),
            expected);
}

TEST(FormatTest, SixtyFourBitExtremes) {
  EXPECT_EQ(Fmt("%ld", INT64_MIN), "-9223372036854775808");
  EXPECT_EQ(Fmt("%lu", UINT64_MAX), "18446744073709551615");
  EXPECT_EQ(Fmt("%lx", UINT64_MAX), "ffffffffffffffff");
  EXPECT_EQ(Fmt("%zu", sizeof(uint64_t)), "8");
  EXPECT_EQ(Fmt("%#lx|%#x|%#010x", 0xfec00000ul, 0u, 0x1fu), "0xfec00000|0x0|0x0000001f");
}

TEST(FormatTest, PointerNullAndUnknown) {
  EXPECT_EQ(Fmt("%p", reinterpret_cast<void*>(0x1000)), "0x0000000000001000");
  EXPECT_EQ(Fmt("%s", static_cast<const char*>(nullptr)), "(null)");
  EXPECT_EQ(Fmt("a%qb"), "a%qb");
  EXPECT_EQ(Fmt("end%"), "end%");
}

TEST(FormatTest, TruncatesAndReportsNeededLength) {
  char buffer[4];
  EXPECT_EQ(FormatToBuffer(buffer, sizeof(buffer), "%s", "abcdef"), 6u);
  EXPECT_STREQ(buffer, "abc");
  EXPECT_EQ(FormatToBuffer(buffer, 0, "x"), 1u);
}

}  // namespace
}  // namespace hiillos::format
