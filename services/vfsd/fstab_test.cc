// services/vfsd/fstab_test.cc — /etc/fstab lines, comments and errors; root= from the kernel
// command line.
#include "services/vfsd/fstab.h"

#include <string>

#include "gtest/gtest.h"

namespace hiillos::vfsd {
namespace {

Result<Fstab, FstabProblem> Parse(const std::string& text) {
  return Fstab::Parse(text.data(), text.size());
}

TEST(FstabTest, ParsesEntriesCommentsAndBlankLines) {
  auto fstab = Parse(
      "# DEVICE MOUNTPOINT TYPE OPTIONS\n"
      "\n"
      "ram1\t/scratch   fat32 rw   # trailing comment\n"
      "   vblk0 /data fat32\r\n"
      "#ram9 /never fat32\n");
  ASSERT_TRUE(fstab.ok());
  ASSERT_EQ(fstab.value().size(), 2u);
  EXPECT_STREQ(fstab.value().entry(0).device, "ram1");
  EXPECT_STREQ(fstab.value().entry(0).point, "/scratch");
  EXPECT_STREQ(fstab.value().entry(0).type, "fat32");
  EXPECT_EQ(fstab.value().entry(0).line, 3u);
  EXPECT_STREQ(fstab.value().entry(1).device, "vblk0");
  EXPECT_STREQ(fstab.value().entry(1).type, "fat32");
  EXPECT_EQ(fstab.value().entry(1).line, 4u);
}

TEST(FstabTest, EmptyFileHasNoEntries) {
  auto fstab = Parse("");
  ASSERT_TRUE(fstab.ok());
  EXPECT_EQ(fstab.value().size(), 0u);
}

TEST(FstabTest, BadLinesAreErrorsNamingTheLine) {
  const struct {
    std::string text;
    FstabError error;
    size_t line;
  } cases[] = {
      {"ram0 /\n", FstabError::kMissingField, 1},
      {"\nram0 / fat32 rw extra\n", FstabError::kTooManyFields, 2},
      {"ram0 / " + std::string(16, 't') + "\n", FstabError::kFieldTooLong, 1},
      {std::string(32, 'd') + " / fat32\n", FstabError::kFieldTooLong, 1},
      {"ram0 /" + std::string(255, 'p') + " fat32\n", FstabError::kFieldTooLong, 1},
      {"# " + std::string(600, 'x') + "\n", FstabError::kLineTooLong, 1},
  };
  for (const auto& c : cases) {
    auto fstab = Parse(c.text);
    ASSERT_FALSE(fstab.ok()) << c.text;
    EXPECT_EQ(fstab.error().error, c.error) << c.text;
    EXPECT_EQ(fstab.error().line, c.line) << c.text;
    EXPECT_NE(std::string(FstabErrorName(c.error)), "unknown error");
  }
  std::string many;
  for (int i = 0; i < 17; ++i)
    many += "ram" + std::to_string(i) + " /m" + std::to_string(i) + " fat32\n";
  auto fstab = Parse(many);
  ASSERT_FALSE(fstab.ok());
  EXPECT_EQ(fstab.error().error, FstabError::kTooManyEntries);
  EXPECT_EQ(fstab.error().line, 17u);
}

TEST(FstabTest, RootFromTheCommandLineComesFirstAndReplacesSlash) {
  auto fstab = Parse("old / fat32\nram1 /bad fat32\n");
  ASSERT_TRUE(fstab.ok());
  const std::string cmdline = "hiillos.test=user root=ram0 quiet";
  ASSERT_TRUE(fstab.value().ApplyCommandLine(cmdline.data(), cmdline.size()));
  ASSERT_EQ(fstab.value().size(), 2u);
  EXPECT_STREQ(fstab.value().entry(0).device, "ram0");
  EXPECT_STREQ(fstab.value().entry(0).point, "/");
  EXPECT_STREQ(fstab.value().entry(0).type, "fat32");
  EXPECT_EQ(fstab.value().entry(0).line, 0u);
  EXPECT_STREQ(fstab.value().entry(1).device, "ram1");
}

TEST(FstabTest, RootFsTypeIsHonoured) {
  Fstab fstab;
  const std::string cmdline = "rootfstype=ext9 root=vblk1";
  ASSERT_TRUE(fstab.ApplyCommandLine(cmdline.data(), cmdline.size()));
  ASSERT_EQ(fstab.size(), 1u);
  EXPECT_STREQ(fstab.entry(0).device, "vblk1");
  EXPECT_STREQ(fstab.entry(0).type, "ext9");
}

TEST(FstabTest, NoOrBadRootLeavesTheTableAlone) {
  auto fstab = Parse("ram1 /bad fat32\n");
  ASSERT_TRUE(fstab.ok());
  for (const std::string& cmdline : {std::string(""), std::string("root= x"),
                                     std::string("rootdev=ram0"), "root=" + std::string(40, 'd')}) {
    EXPECT_FALSE(fstab.value().ApplyCommandLine(cmdline.data(), cmdline.size())) << cmdline;
    EXPECT_EQ(fstab.value().size(), 1u);
  }
}

}  // namespace
}  // namespace hiillos::vfsd
