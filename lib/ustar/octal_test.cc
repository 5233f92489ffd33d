// lib/ustar/octal_test.cc — tests for octal field parsing and encoding.
#include "lib/ustar/octal.h"

#include <gtest/gtest.h>

#include <string>

namespace hiillos::ustar {
namespace {

Result<uint64_t, Error> Parse(const std::string& field) {
  return ParseOctal(field.data(), field.size());
}

TEST(ParseOctal, AcceptsCommonSpellings) {
  EXPECT_EQ(Parse(std::string("0000644\0", 8)).value(), 0644u);
  EXPECT_EQ(Parse(std::string("   644 \0", 8)).value(), 0644u);  // leading spaces
  EXPECT_EQ(Parse(std::string("644\0\0\0\0\0", 8)).value(), 0644u);
  EXPECT_EQ(Parse(std::string("012345\0 ", 8)).value(), 012345u);  // checksum style
  EXPECT_EQ(Parse("00000000000 ").value(), 0u);
  EXPECT_EQ(Parse("77777777777 ").value(), 077777777777u);
  EXPECT_EQ(Parse("777777777777").value(), 0777777777777u);  // a full field without filler
}

TEST(ParseOctal, RejectsMalformedFields) {
  EXPECT_EQ(Parse(std::string(8, '\0')).error(), Error::kBadNumber);  // no digits
  EXPECT_EQ(Parse(std::string(8, ' ')).error(), Error::kBadNumber);
  EXPECT_EQ(Parse(std::string("0000648\0", 8)).error(), Error::kBadNumber);  // '8'
  EXPECT_EQ(Parse(std::string("00 0644\0", 8)).error(), Error::kBadNumber);  // split digits
  EXPECT_EQ(Parse(std::string("+000644\0", 8)).error(), Error::kBadNumber);
  EXPECT_EQ(Parse(std::string("0000644x", 8)).error(), Error::kBadNumber);   // trailing junk
  EXPECT_EQ(Parse(std::string("\0 000644", 8)).error(), Error::kBadNumber);  // NUL first
  // GNU base-256 encoding (high bit set in the first byte) is not ustar.
  EXPECT_EQ(Parse(std::string("\x80\0\0\0\0\0\0\0\0\0\0\x01", 12)).error(), Error::kBadNumber);
  EXPECT_EQ(ParseOctal("0", 0).error(), Error::kBadNumber);
  EXPECT_EQ(Parse("0000000000000").error(), Error::kBadNumber);  // wider than any field
}

TEST(ParseOptionalOctal, EmptyReadsAsZeroGarbageStillFails) {
  EXPECT_EQ(ParseOptionalOctal(std::string(8, '\0').data(), 8).value(), 0u);
  EXPECT_EQ(ParseOptionalOctal("        ", 8).value(), 0u);
  EXPECT_EQ(ParseOptionalOctal("0000012 ", 8).value(), 012u);
  EXPECT_EQ(ParseOptionalOctal("abc     ", 8).error(), Error::kBadNumber);
  EXPECT_EQ(ParseOptionalOctal("", 0).error(), Error::kBadNumber);
}

TEST(EncodeOctal, PadsAndTerminates) {
  char field[8];
  ASSERT_TRUE(EncodeOctal(0644, field, sizeof(field)).ok());
  EXPECT_EQ(std::string(field, 8), std::string("0000644\0", 8));
  char size[12];
  ASSERT_TRUE(EncodeOctal(077777777777, size, sizeof(size)).ok());
  EXPECT_EQ(std::string(size, 12), std::string("77777777777\0", 12));
}

TEST(EncodeOctal, RejectsValuesThatDoNotFit) {
  char field[8] = {'x', 'x', 'x', 'x', 'x', 'x', 'x', 'x'};
  EXPECT_EQ(EncodeOctal(010000000, field, sizeof(field)).error(), Error::kBadNumber);
  EXPECT_EQ(field[0], 'x');  // untouched on error
  char size[12];
  EXPECT_EQ(EncodeOctal(0100000000000, size, sizeof(size)).error(), Error::kBadNumber);
  EXPECT_EQ(EncodeOctal(~uint64_t{0}, size, sizeof(size)).error(), Error::kBadNumber);
  EXPECT_EQ(EncodeOctal(0, field, 1).error(), Error::kBadNumber);  // no room for a digit
  EXPECT_EQ(EncodeOctal(0, size, 13).error(), Error::kBadNumber);  // wider than any field
}

TEST(EncodeOctal, RoundTripsThroughParse) {
  for (uint64_t value : {uint64_t{0}, uint64_t{1}, uint64_t{07}, uint64_t{010}, uint64_t{0755},
                         uint64_t{07777777}}) {
    char field[8];
    ASSERT_TRUE(EncodeOctal(value, field, sizeof(field)).ok());
    EXPECT_EQ(ParseOctal(field, sizeof(field)).value(), value);
  }
}

}  // namespace
}  // namespace hiillos::ustar
