// lib/path/normal_path_test.cc — URL forms, normalisation and every bound of NormalPath::Parse.
#include "lib/path/normal_path.h"

#include <gtest/gtest.h>

#include <string>

namespace hiillos::path {
namespace {

// "scheme:path" of a successful parse, or "error: <name>".
std::string Parsed(const std::string& url) {
  auto parsed = NormalPath::Parse(url.data(), url.size());
  if (!parsed.ok()) return std::string("error: ") + ErrorName(parsed.error());
  return std::string(SchemeName(parsed.value().scheme())) + ":" + parsed.value().path();
}

std::string ErrorText(Error error) {
  return std::string("error: ") + ErrorName(error);
}

TEST(NormalPath, UrlForms) {
  EXPECT_EQ(Parsed("/a/b"), "fs:/a/b");
  EXPECT_EQ(Parsed("fs:///a/b"), "fs:/a/b");
  EXPECT_EQ(Parsed("initfs:///sbin/init"), "initfs:/sbin/init");
  EXPECT_EQ(Parsed("initfs://"), "initfs:/");
  EXPECT_EQ(Parsed("fs:///"), "fs:/");
  EXPECT_EQ(Parsed("/"), "fs:/");
  EXPECT_EQ(Parsed("/a:b/c://d"), "fs:/a:b/c:/d");  // colons inside a path are just bytes
}

TEST(NormalPath, RejectsOtherForms) {
  EXPECT_EQ(Parsed(""), ErrorText(Error::kEmpty));
  EXPECT_EQ(Parsed("a/b"), ErrorText(Error::kNotAbsolute));
  EXPECT_EQ(Parsed("."), ErrorText(Error::kNotAbsolute));
  EXPECT_EQ(Parsed("fs:/a"), ErrorText(Error::kNotAbsolute));
  EXPECT_EQ(Parsed("fs:a"), ErrorText(Error::kNotAbsolute));
  EXPECT_EQ(Parsed("fs://host/a"), ErrorText(Error::kNotAbsolute));
  EXPECT_EQ(Parsed("fs:"), ErrorText(Error::kNotAbsolute));
  EXPECT_EQ(Parsed("http:///a"), ErrorText(Error::kUnknownScheme));
  EXPECT_EQ(Parsed("FS:///a"), ErrorText(Error::kUnknownScheme));
  EXPECT_EQ(Parsed("f:///a"), ErrorText(Error::kUnknownScheme));
  EXPECT_EQ(Parsed("fsx:///a"), ErrorText(Error::kUnknownScheme));
  EXPECT_EQ(Parsed("://a"), ErrorText(Error::kUnknownScheme));
  EXPECT_EQ(Parsed(std::string("/a\0b", 4)), ErrorText(Error::kNulByte));
  EXPECT_EQ(Parsed(std::string("fs:///\0", 7)), ErrorText(Error::kNulByte));
}

TEST(NormalPath, Normalises) {
  EXPECT_EQ(Parsed("//a///b//"), "fs:/a/b");
  EXPECT_EQ(Parsed("/a/./b/."), "fs:/a/b");
  EXPECT_EQ(Parsed("/a/b/../c"), "fs:/a/c");
  EXPECT_EQ(Parsed("/a/b/../.."), "fs:/");
  EXPECT_EQ(Parsed("/a/../a/../b/"), "fs:/b");
  EXPECT_EQ(Parsed("/./././"), "fs:/");
  EXPECT_EQ(Parsed("initfs:///etc/../sbin//./init"), "initfs:/sbin/init");
  // Names that only look like dots are names.
  EXPECT_EQ(Parsed("/.../..a/a../.b"), "fs:/.../..a/a../.b");
}

TEST(NormalPath, DotDotNeverLeavesTheRoot) {
  EXPECT_EQ(Parsed("/.."), ErrorText(Error::kEscapesRoot));
  EXPECT_EQ(Parsed("/a/../.."), ErrorText(Error::kEscapesRoot));
  EXPECT_EQ(Parsed("fs:///../etc"), ErrorText(Error::kEscapesRoot));
  EXPECT_EQ(Parsed("initfs:///a/b/../../../x"), ErrorText(Error::kEscapesRoot));
}

TEST(NormalPath, Bounds) {
  const std::string longest_component(kMaxComponentLength, 'c');
  EXPECT_EQ(Parsed("/" + longest_component), "fs:/" + longest_component);
  EXPECT_EQ(Parsed("/" + longest_component + "c"), ErrorText(Error::kComponentTooLong));

  std::string many;
  for (size_t i = 0; i < kMaxComponents; ++i) many += "/d";
  EXPECT_EQ(Parsed(many), "fs:" + many);
  EXPECT_EQ(Parsed(many + "/d"), ErrorText(Error::kTooManyComponents));
  EXPECT_EQ(Parsed(many + "/../d"), "fs:" + many);  // the count is of kept components

  std::string longest;  // four components of 254 bytes plus "/xyz": exactly 1024 bytes
  for (int i = 0; i < 4; ++i) longest += "/" + std::string(254, 'c');
  longest += "/xyz";
  ASSERT_EQ(longest.size(), kMaxPathLength);
  EXPECT_EQ(Parsed(longest), "fs:" + longest);
  EXPECT_EQ(Parsed(longest + "w"), ErrorText(Error::kPathTooLong));
  EXPECT_EQ(Parsed(longest + "/../w"), "fs:" + longest.substr(0, longest.size() - 3) + "w");

  const std::string padded = "/a" + std::string(kMaxInputLength - 2, '/');
  EXPECT_EQ(Parsed(padded), "fs:/a");
  EXPECT_EQ(Parsed(padded + "/"), ErrorText(Error::kInputTooLong));
}

TEST(NormalPath, ParseIsIdempotentAndComparable) {
  auto first = NormalPath::Parse("fs:///x//y/./z/..");
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first.value().component_count(), 2u);
  auto again = NormalPath::Parse(first.value().path());
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again.value() == first.value());
  EXPECT_FALSE(NormalPath::Parse("initfs:///x/y").value() == first.value());
  EXPECT_TRUE(NormalPath::Root(Scheme::kInitfs) == NormalPath::Parse("initfs://").value());
  EXPECT_TRUE(NormalPath::Root(Scheme::kFs).IsRoot());
}

TEST(NormalPath, IsWithinFollowsComponents) {
  auto path = [](const char* url) { return NormalPath::Parse(url).value(); };
  EXPECT_TRUE(path("/mnt/disk/a").IsWithin(path("/mnt/disk")));
  EXPECT_TRUE(path("/mnt/disk").IsWithin(path("/mnt/disk")));
  EXPECT_TRUE(path("/mnt/disk").IsWithin(path("/")));
  EXPECT_FALSE(path("/mnt/disk2").IsWithin(path("/mnt/disk")));
  EXPECT_FALSE(path("/mnt").IsWithin(path("/mnt/disk")));
  EXPECT_FALSE(path("initfs:///mnt/disk").IsWithin(path("/mnt")));
  EXPECT_FALSE(path("initfs:///mnt").IsWithin(path("/")));
}

}  // namespace
}  // namespace hiillos::path
