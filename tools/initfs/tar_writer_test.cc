// tools/initfs/tar_writer_test.cc — tests for the deterministic initfs tar builder, read back
// with lib/ustar.
#include "tools/initfs/tar_writer.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "lib/ustar/archive.h"

namespace hiillos::initfs {
namespace {

InputFile File(const std::string& dest, const std::string& contents, bool executable = false) {
  return InputFile{dest, std::vector<uint8_t>(contents.begin(), contents.end()), executable};
}

struct Listed {
  std::string path;
  ustar::EntryType type;
  uint32_t mode;
  std::string contents;
  bool operator==(const Listed&) const = default;
};

std::ostream& operator<<(std::ostream& os, const Listed& listed) {
  return os << listed.path << " type=" << static_cast<int>(listed.type) << " mode=" << std::oct
            << listed.mode << std::dec << " size=" << listed.contents.size();
}

std::vector<Listed> List(const std::vector<uint8_t>& tar) {
  auto archive = ustar::Archive::Open(tar.data(), tar.size());
  EXPECT_TRUE(archive.ok()) << ustar::ErrorName(archive.error());
  std::vector<Listed> listed;
  if (!archive.ok()) return listed;
  for (const ustar::Entry& entry : archive.value()) {
    EXPECT_EQ(entry.mtime, 0u);
    EXPECT_EQ(entry.uid, 0u);
    EXPECT_EQ(entry.gid, 0u);
    listed.push_back({entry.path, entry.type, entry.mode,
                      std::string(reinterpret_cast<const char*>(entry.data), entry.size)});
  }
  return listed;
}

std::string FailureOf(const std::vector<InputFile>& files) {
  auto tar = BuildTar(files);
  EXPECT_FALSE(tar.ok());
  return tar.ok() ? "" : tar.failure().message;
}

constexpr auto kDir = ustar::EntryType::kDirectory;
constexpr auto kFile = ustar::EntryType::kRegular;

TEST(BuildTar, SortsAndAddsParentDirectories) {
  const std::string big(70000, 'B');
  auto tar = BuildTar({File("sbin/init",
                            "\x7f"
                            "ELF init",
                            true),
                       File("etc/init.conf", "rngd\n"), File("README", ""),
                       File("lib/x/y/big.bin", big), File("etc/fstab", "/ fat32\n")});
  ASSERT_TRUE(tar.ok()) << tar.failure().message;
  EXPECT_EQ(tar.value().size() % ustar::kBlockSize, 0u);
  const std::vector<Listed> expected = {
      {"README", kFile, 0644, ""},
      {"etc", kDir, 0755, ""},
      {"etc/fstab", kFile, 0644, "/ fat32\n"},
      {"etc/init.conf", kFile, 0644, "rngd\n"},
      {"lib", kDir, 0755, ""},
      {"lib/x", kDir, 0755, ""},
      {"lib/x/y", kDir, 0755, ""},
      {"lib/x/y/big.bin", kFile, 0644, big},
      {"sbin", kDir, 0755, ""},
      {"sbin/init", kFile, 0755,
       "\x7f"
       "ELF init"},
  };
  EXPECT_EQ(List(tar.value()), expected);
}

TEST(BuildTar, SortsBytewise) {
  // '-' (0x2d) < '/' (0x2f) < 'A' (0x41) < 'a' (0x61) < 0xc3: plain byte order, parents first.
  auto tar = BuildTar({File("a/b", "1"), File("a-b", "2"), File("\xc3\xa4", "3"), File("B", "4"),
                       File("a/A", "5")});
  ASSERT_TRUE(tar.ok()) << tar.failure().message;
  std::vector<std::string> paths;
  for (const Listed& listed : List(tar.value())) paths.push_back(listed.path);
  EXPECT_EQ(paths, (std::vector<std::string>{"B", "a", "a-b", "a/A", "a/b", "\xc3\xa4"}));
}

TEST(BuildTar, SameFilesInAnyOrderGiveTheSameBytes) {
  const std::vector<InputFile> forward = {File("etc/a", "1"), File("sbin/init", "2", true),
                                          File("etc/b", "3")};
  const std::vector<InputFile> backward(forward.rbegin(), forward.rend());
  auto first = BuildTar(forward);
  auto second = BuildTar(forward);
  auto reversed = BuildTar(backward);
  ASSERT_TRUE(first.ok() && second.ok() && reversed.ok());
  EXPECT_EQ(first.value(), second.value());
  EXPECT_EQ(first.value(), reversed.value());
}

TEST(BuildTar, EndsWithTwoZeroBlocks) {
  auto tar = BuildTar({File("x", "abc")});
  ASSERT_TRUE(tar.ok());
  // header + one data block + end marker
  ASSERT_EQ(tar.value().size(), 2 * ustar::kBlockSize + ustar::kEndMarkerSize);
  for (size_t i = 2 * ustar::kBlockSize; i < tar.value().size(); ++i) {
    ASSERT_EQ(tar.value()[i], 0) << i;
  }
  // Data padding is zero too.
  for (size_t i = ustar::kBlockSize + 3; i < 2 * ustar::kBlockSize; ++i) {
    ASSERT_EQ(tar.value()[i], 0) << i;
  }
}

TEST(BuildTar, EmptyInputIsAnEmptyArchive) {
  auto tar = BuildTar({});
  ASSERT_TRUE(tar.ok());
  EXPECT_EQ(tar.value(), std::vector<uint8_t>(ustar::kEndMarkerSize, 0));
}

TEST(BuildTar, RejectsDuplicates) {
  EXPECT_EQ(FailureOf({File("etc/a", "1"), File("etc/a", "2")}), "duplicate destination 'etc/a'");
}

TEST(BuildTar, RejectsAFileThatIsAlsoAParent) {
  const std::string message = "destination 'etc' is also a parent directory of 'etc/a'";
  EXPECT_EQ(FailureOf({File("etc", "1"), File("etc/a", "2")}), message);
  EXPECT_EQ(FailureOf({File("etc/a", "2"), File("etc", "1")}), message);
}

TEST(BuildTar, RejectsBadDestinations) {
  EXPECT_EQ(FailureOf({File("/sbin/init", "")}),
            "destination '/sbin/init' is absolute; archive paths are relative (e.g. sbin/init)");
  EXPECT_EQ(FailureOf({File("../init", "")}), "destination '../init' contains a '..' component");
  EXPECT_EQ(FailureOf({File("a/../b", "")}), "destination 'a/../b' contains a '..' component");
  EXPECT_EQ(FailureOf({File("a/..", "")}), "destination 'a/..' contains a '..' component");
  EXPECT_EQ(FailureOf({File("./a", "")}), "destination './a' contains a '.' component");
  EXPECT_EQ(FailureOf({File("a//b", "")}),
            "destination 'a//b' has an empty component (a doubled or trailing '/')");
  EXPECT_EQ(FailureOf({File("a/", "")}),
            "destination 'a/' has an empty component (a doubled or trailing '/')");
  EXPECT_EQ(FailureOf({File("", "")}), "destination path is empty");
  EXPECT_EQ(FailureOf({File("a\nb", "")}),
            "destination contains a control character (NUL, newline, ...)");
  EXPECT_EQ(FailureOf({File(std::string("a\0b", 3), "")}),
            "destination contains a control character (NUL, newline, ...)");
  // A valid file does not hide a bad one after it.
  EXPECT_NE(FailureOf({File("ok", ""), File("/bad", "")}), "");
}

TEST(BuildTar, RejectsNamesThatDoNotFitUstar) {
  const std::string name100(100, 'n');
  EXPECT_TRUE(BuildTar({File(std::string(99, 'n'), "")}).ok());
  EXPECT_EQ(FailureOf({File(name100, "")})
                .rfind("destination '" + name100 + "' does not fit a ustar header", 0),
            0u);
  const std::string longest = std::string(154, 'p') + "/" + std::string(99, 'n');
  // The file fits (prefix 154 + name 99), but its parent "ppp.../" (155 bytes) does not.
  const std::string failure = FailureOf({File(longest, "")});
  EXPECT_EQ(failure.rfind("parent directory '" + std::string(154, 'p') + "' does not fit", 0), 0u)
      << failure;
  const std::string fits = std::string(97, 'p') + "/" + std::string(154, 'q') + "/" +
                           std::string(99, 'n');  // 352 bytes: too long in total
  EXPECT_NE(FailureOf({File(fits, "")}).find("does not fit a ustar header"), std::string::npos);
  // Long but well-formed: 163 bytes, split after the second component.
  const std::string deep = std::string(40, 'a') + "/" + std::string(40, 'b') + "/" +
                           std::string(40, 'c') + "/" + std::string(40, 'd');
  auto tar = BuildTar({File(deep, "deep")});
  ASSERT_TRUE(tar.ok()) << tar.failure().message;
  EXPECT_EQ(List(tar.value()).back().path, deep);
}

}  // namespace
}  // namespace hiillos::initfs
