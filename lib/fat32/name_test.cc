// lib/fat32/name_test.cc — long/short name conversion, validation and short-name generation.
#include "lib/fat32/name.h"

#include <string.h>

#include <string>

#include "gtest/gtest.h"
#include "lib/fat32/layout.h"

namespace hiillos::fat32 {
namespace {

std::string ShortString(const uint8_t* name) {
  return std::string(reinterpret_cast<const char*>(name), kShortNameBytes);
}

TEST(LfnChecksum, MatchesFatgenAlgorithm) {
  EXPECT_EQ(LfnChecksum(reinterpret_cast<const uint8_t*>("README  TXT")), 0x73);
  EXPECT_EQ(LfnChecksum(reinterpret_cast<const uint8_t*>("LONGFI~1TXT")), 0xD4);
}

TEST(ShortNameToUtf8, TrimsPaddingAndHonoursCaseFlags) {
  char out[32];
  const auto* name = reinterpret_cast<const uint8_t*>("README  TXT");
  EXPECT_EQ(ShortNameToUtf8(name, 0, out), 10u);
  EXPECT_STREQ(out, "README.TXT");
  ShortNameToUtf8(name, slot::kCaseLowerBase, out);
  EXPECT_STREQ(out, "readme.TXT");
  ShortNameToUtf8(name, slot::kCaseLowerBase | slot::kCaseLowerExt, out);
  EXPECT_STREQ(out, "readme.txt");
  ShortNameToUtf8(reinterpret_cast<const uint8_t*>("NOEXT      "), 0, out);
  EXPECT_STREQ(out, "NOEXT");
  // 0x05 stands for a real 0xE5 first byte (read as ISO 8859-1 'å').
  ShortNameToUtf8(reinterpret_cast<const uint8_t*>("\x05"
                                                   "BC     TXT"),
                  0, out);
  EXPECT_STREQ(out,
               "\xC3\xA5"
               "BC.TXT");
}

TEST(NameToUtf16, ConvertsUtf8IncludingSurrogatePairs) {
  uint16_t units[kMaxNameUnits];
  const char* name = "h\xC3\xA4t \xE2\x82\xAC \xF0\x9F\x98\x80.txt";  // "hät € 😀.txt"
  auto count = NameToUtf16(name, strlen(name), units);
  ASSERT_TRUE(count.ok());
  ASSERT_EQ(count.value(), 12u);
  EXPECT_EQ(units[1], 0xE4);
  EXPECT_EQ(units[4], 0x20AC);
  EXPECT_EQ(units[6], 0xD83D);
  EXPECT_EQ(units[7], 0xDE00);
  char back[kMaxNameBytes + 1];
  EXPECT_EQ(Utf16ToUtf8(units, count.value(), back), strlen(name));
  EXPECT_STREQ(back, name);
}

TEST(NameToUtf16, RejectsBadNames) {
  uint16_t units[kMaxNameUnits];
  for (const char* bad : {"", ".", "..", "a/b", "a:b", "a*", "a?", "a\"", "a<", "a>", "a|", "a\\b",
                          "trailing.", "trailing ", "ctl\x01"}) {
    auto result = NameToUtf16(bad, strlen(bad), units);
    ASSERT_FALSE(result.ok()) << bad;
    EXPECT_EQ(result.error(), Error::kBadName) << bad;
  }
  for (const char* bad_utf8 :
       {"\xC0\xAF", "\xED\xA0\x80", "\xE2\x82", "\xFF", "\xF4\x90\x80\x80"}) {
    auto result = NameToUtf16(bad_utf8, strlen(bad_utf8), units);
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error(), Error::kBadName);
  }
  const std::string longest(255, 'x');
  EXPECT_TRUE(NameToUtf16(longest.data(), longest.size(), units).ok());
  const std::string too_long(256, 'x');
  auto result = NameToUtf16(too_long.data(), too_long.size(), units);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error(), Error::kNameTooLong);
}

TEST(Utf16ToUtf8, ReplacesUnpairedSurrogates) {
  const uint16_t units[] = {'a', 0xD800, 'b', 0xDC00};
  char out[kMaxNameBytes + 1];
  Utf16ToUtf8(units, 4, out);
  EXPECT_STREQ(out,
               "a\xEF\xBF\xBD"
               "b\xEF\xBF\xBD");
}

TEST(NamesEqual, IgnoresAsciiCase) {
  EXPECT_TRUE(NamesEqual("ReadMe.txt", 10, "README.TXT", 10));
  EXPECT_FALSE(NamesEqual("readme.txt", 10, "readme.tx", 9));
  EXPECT_FALSE(NamesEqual("a", 1, "b", 1));
}

TEST(ExactShortName, AcceptsOnlyUpperCase83) {
  uint8_t out[kShortNameBytes];
  ASSERT_TRUE(ExactShortName("README.TXT", 10, out));
  EXPECT_EQ(ShortString(out), "README  TXT");
  ASSERT_TRUE(ExactShortName("KERNEL", 6, out));
  EXPECT_EQ(ShortString(out), "KERNEL     ");
  EXPECT_FALSE(ExactShortName("readme.txt", 10, out));
  EXPECT_FALSE(ExactShortName("LONGNAMEX.TXT", 13, out));
  EXPECT_FALSE(ExactShortName("A.TEXT", 6, out));
  EXPECT_FALSE(ExactShortName("A.B.C", 5, out));
  EXPECT_FALSE(ExactShortName("A B", 3, out));
  EXPECT_FALSE(ExactShortName(".HIDDEN", 7, out));
  EXPECT_FALSE(ExactShortName("A.", 2, out));
}

ShortNameBasis BasisOf(const char* name) {
  uint16_t units[kMaxNameUnits];
  auto count = NameToUtf16(name, strlen(name), units);
  EXPECT_TRUE(count.ok());
  return MakeShortNameBasis(units, count.value());
}

TEST(ShortNameGeneration, FollowsTheWindowsBasisRules) {
  uint8_t out[kShortNameBytes];
  ShortNameWithTail(BasisOf("long file name.text"), 1, out);
  EXPECT_EQ(ShortString(out), "LONGFI~1TEX");
  ShortNameWithTail(BasisOf("readme.txt"), 2, out);
  EXPECT_EQ(ShortString(out), "README~2TXT");
  ShortNameWithTail(BasisOf("a+b=c.tar.gz"), 1, out);
  EXPECT_EQ(ShortString(out), "A_B_CT~1GZ ");
  ShortNameWithTail(BasisOf(".bashrc"), 1, out);
  EXPECT_EQ(ShortString(out), "BASHRC~1   ");
  ShortNameWithTail(BasisOf("h\xC3\xA4t"), 1, out);
  EXPECT_EQ(ShortString(out), "H_T~1      ");
  ShortNameWithTail(BasisOf("manyfiles-0001.dat"), 1234, out);
  EXPECT_EQ(ShortString(out), "MAN~1234DAT");
}

TEST(ShortNameGeneration, RecognisesTailsOfTheSameBasis) {
  const ShortNameBasis basis = BasisOf("long file name.text");
  uint8_t name[kShortNameBytes];
  for (uint32_t tail : {1u, 9u, 10u, 99u, 100u, 8191u}) {
    ShortNameWithTail(basis, tail, name);
    EXPECT_EQ(ShortNameTail(basis, name), tail) << ShortString(name);
  }
  EXPECT_EQ(ShortNameTail(basis, reinterpret_cast<const uint8_t*>("LONGFI~1TXT")), 0u);
  EXPECT_EQ(ShortNameTail(basis, reinterpret_cast<const uint8_t*>("OTHERN~1TEX")), 0u);
  EXPECT_EQ(ShortNameTail(basis, reinterpret_cast<const uint8_t*>("LONGFILETEX")), 0u);
  EXPECT_EQ(ShortNameTail(basis, reinterpret_cast<const uint8_t*>("LONGFI~XTEX")), 0u);
}

}  // namespace
}  // namespace hiillos::fat32
