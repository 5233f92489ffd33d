// lib/ustar/path_test.cc — tests for the archive path rules and small string helpers.
#include "lib/ustar/path.h"

#include <gtest/gtest.h>

#include <string>

namespace hiillos::ustar {
namespace {

bool Valid(const std::string& path) {
  return IsValidPath(path.data(), path.size());
}

TEST(IsValidPath, AcceptsRelativePaths) {
  EXPECT_TRUE(Valid("init"));
  EXPECT_TRUE(Valid("sbin/init"));
  EXPECT_TRUE(Valid("etc/init.d/.hidden"));
  EXPECT_TRUE(Valid("a/..b/c..d/..."));
  EXPECT_TRUE(Valid("\xc3\xa4/\xff"));  // any non-NUL byte
}

TEST(IsValidPath, RejectsEverythingElse) {
  EXPECT_FALSE(Valid(""));
  EXPECT_FALSE(Valid("/sbin/init"));
  EXPECT_FALSE(Valid("sbin/"));
  EXPECT_FALSE(Valid("sbin//init"));
  EXPECT_FALSE(Valid("."));
  EXPECT_FALSE(Valid(".."));
  EXPECT_FALSE(Valid("./init"));
  EXPECT_FALSE(Valid("sbin/../init"));
  EXPECT_FALSE(Valid("sbin/.."));
  EXPECT_FALSE(Valid(std::string("sb\0in", 5)));
}

TEST(SameBytes, ComparesLengthAndBytes) {
  EXPECT_TRUE(SameBytes("abc", 3, "abc", 3));
  EXPECT_TRUE(SameBytes("", 0, "x", 0));
  EXPECT_FALSE(SameBytes("abc", 3, "abd", 3));
  EXPECT_FALSE(SameBytes("abc", 3, "abc", 2));
}

TEST(BoundedLength, StopsAtNulOrLimit) {
  EXPECT_EQ(BoundedLength("abc", 10), 3u);
  EXPECT_EQ(BoundedLength("abcdef", 4), 4u);
  EXPECT_EQ(BoundedLength("", 4), 0u);
}

}  // namespace
}  // namespace hiillos::ustar
