// lib/fat32/read_image_test.cc — volumes written by mkfs.fat and mtools, read by lib/fat32.
#include <string.h>
#include <sys/stat.h>

#include <algorithm>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "lib/fat32/file_system.h"
#include "lib/fat32/testing/image_tools.h"
#include "lib/fat32/testing/memory_device.h"

namespace hiillos::fat32 {
namespace {

using testing::CopyIn;
using testing::DeterministicBytes;
using testing::ExpectError;
using testing::FixedClock;
using testing::MakeDirectoryIn;
using testing::MakeImage;
using testing::MemoryDevice;
using testing::ReadHostFile;
using testing::SetMtime;
using testing::TempPath;
using testing::WriteHostFile;

constexpr int64_t kMtime = 1600000000;  // 2020-09-13 12:26:40 UTC (even: FAT keeps 2 s)

struct HostFile {
  std::string path;  // inside the volume
  std::vector<uint8_t> bytes;
};

std::vector<uint8_t> Text(const std::string& text) {
  return std::vector<uint8_t>(text.begin(), text.end());
}

// One image for every test in this file: mtools writes it once.
class ReadImageTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    image_path_ = new std::string(MakeImage(64));
    files_ = new std::vector<HostFile>{
        {"/readme.txt", Text("hiillos reads FAT32\n")},
        {"/UPPER.TXT", Text("short name only\n")},
        {"/A long file name, with spaces.text", Text("long name\n")},
        {"/p\xC3\xA4iv\xC3\xA4\xC3\xA4 \xE2\x82\xAC.txt", Text("unicode\n")},
        {"/empty", {}},
        {"/big.bin", DeterministicBytes(5 * 1024 * 1024 + 123, 1)},
        {"/docs/deep/er/nested file.bin", DeterministicBytes(70000, 2)},
        {"/docs/notes.md", Text("# notes\n")},
    };
    for (const char* dir : {"/docs", "/docs/deep", "/docs/deep/er", "/many"}) {
      MakeDirectoryIn(*image_path_, dir);
    }
    for (const HostFile& file : *files_) {
      const std::string host = TempPath("host");
      WriteHostFile(host, file.bytes);
      SetMtime(host, kMtime);
      CopyIn(*image_path_, host, file.path);
    }
    // 150 files in one directory: with 512-byte clusters it spans many clusters.
    std::vector<std::string> args = {"-m", "-i", *image_path_};
    const std::string stage = TempPath("many");
    mkdir(stage.c_str(), 0755);
    for (int i = 0; i < 150; ++i) {
      const std::string name = stage + "/entry number " + std::to_string(i) + ".dat";
      WriteHostFile(name, Text(std::to_string(i)));
      args.push_back(name);
    }
    args.push_back("::/many/");
    const auto copied = testing::RunTool("FAT32_MCOPY", args);
    ASSERT_EQ(copied.status, 0) << copied.output;
  }
  static void TearDownTestSuite() {
    delete image_path_;
    delete files_;
  }

  void SetUp() override {
    device_ = std::make_unique<MemoryDevice>(ReadHostFile(*image_path_));
    auto mounted = FileSystem::Mount(*device_, clock_);
    ASSERT_TRUE(mounted.ok()) << ErrorName(mounted.error());
    fs_ = std::make_unique<FileSystem>(std::move(mounted.value()));
  }

  std::vector<uint8_t> ReadAll(const Node& node) {
    std::vector<uint8_t> bytes(node.size);
    auto read = fs_->Read(node, 0, bytes.data(), bytes.size());
    EXPECT_TRUE(read.ok()) << ErrorName(read.error());
    if (read.ok()) EXPECT_EQ(read.value(), node.size);
    return bytes;
  }

  std::map<std::string, DirEntry> List(const char* path) {
    std::map<std::string, DirEntry> entries;
    auto dir = fs_->Lookup(path);
    EXPECT_TRUE(dir.ok());
    if (!dir.ok()) return entries;
    auto reader = fs_->OpenDirectory(dir.value());
    EXPECT_TRUE(reader.ok());
    DirEntry entry;
    for (;;) {
      auto more = reader.value().Next(&entry);
      EXPECT_TRUE(more.ok()) << ErrorName(more.error());
      if (!more.ok() || !more.value()) break;
      entries[entry.name] = entry;
    }
    return entries;
  }

  static std::string* image_path_;
  static std::vector<HostFile>* files_;
  FixedClock clock_{1700000000};
  std::unique_ptr<MemoryDevice> device_;
  std::unique_ptr<FileSystem> fs_;
};

std::string* ReadImageTest::image_path_ = nullptr;
std::vector<HostFile>* ReadImageTest::files_ = nullptr;

TEST_F(ReadImageTest, EveryFileReadsBackWithItsSizeAndTime) {
  for (const HostFile& file : *files_) {
    auto node = fs_->Lookup(file.path.c_str());
    ASSERT_TRUE(node.ok()) << file.path << ": " << ErrorName(node.error());
    EXPECT_FALSE(node.value().is_directory());
    EXPECT_EQ(node.value().size, file.bytes.size()) << file.path;
    EXPECT_EQ(node.value().modified, static_cast<uint64_t>(kMtime)) << file.path;
    EXPECT_TRUE(ReadAll(node.value()) == file.bytes) << file.path;
  }
}

TEST_F(ReadImageTest, ReadsAtOffsetsAcrossSectorsAndClusters) {
  const HostFile& big = (*files_)[5];
  auto node = fs_->Lookup("/big.bin");
  ASSERT_TRUE(node.ok());
  for (uint64_t offset : {0ull, 1ull, 511ull, 512ull, 4095ull, 1000000ull, 5242880ull}) {
    for (size_t length : {1ul, 100ul, 512ul, 513ul, 70000ul}) {
      std::vector<uint8_t> out(length);
      auto read = fs_->Read(node.value(), offset, out.data(), length);
      ASSERT_TRUE(read.ok()) << ErrorName(read.error());
      const size_t expected = std::min<size_t>(length, big.bytes.size() - offset);
      ASSERT_EQ(read.value(), expected) << offset << "+" << length;
      EXPECT_TRUE(std::equal(out.begin(), out.begin() + expected, big.bytes.begin() + offset))
          << offset << "+" << length;
    }
  }
  uint8_t byte = 0;
  auto past_end = fs_->Read(node.value(), big.bytes.size(), &byte, 1);
  ASSERT_TRUE(past_end.ok());
  EXPECT_EQ(past_end.value(), 0u);
}

TEST_F(ReadImageTest, ListsDirectoriesWithLongNames) {
  const auto root = List("/");
  std::set<std::string> names;
  for (const auto& [name, entry] : root) names.insert(name);
  EXPECT_EQ(names,
            (std::set<std::string>{"readme.txt", "UPPER.TXT", "A long file name, with spaces.text",
                                   "p\xC3\xA4iv\xC3\xA4\xC3\xA4 \xE2\x82\xAC.txt", "empty",
                                   "big.bin", "docs", "many"}));
  EXPECT_TRUE(root.at("docs").is_directory());
  EXPECT_FALSE(root.at("big.bin").is_directory());
  EXPECT_EQ(root.at("big.bin").size, 5u * 1024 * 1024 + 123);
  const auto deep = List("/docs/deep/er");
  ASSERT_EQ(deep.size(), 1u);
  EXPECT_EQ(deep.begin()->first, "nested file.bin");
}

TEST_F(ReadImageTest, DirectorySpanningManyClusters) {
  const auto many = List("/many");
  ASSERT_EQ(many.size(), 150u);
  for (int i = 0; i < 150; ++i) {
    const std::string name = "entry number " + std::to_string(i) + ".dat";
    ASSERT_EQ(many.count(name), 1u) << name;
    auto node = fs_->Lookup(("/many/" + name).c_str());
    ASSERT_TRUE(node.ok());
    EXPECT_TRUE(ReadAll(node.value()) == Text(std::to_string(i)));
  }
  EXPECT_GT(150u * 3 * 32, fs_->geometry().bytes_per_cluster * 4);
}

TEST_F(ReadImageTest, LookupIgnoresCaseAndAcceptsShortNames) {
  EXPECT_TRUE(fs_->Lookup("/README.TXT").ok());
  EXPECT_TRUE(fs_->Lookup("//docs/./DEEP//er/Nested File.BIN").ok());
  const auto root = List("/");
  const DirEntry& long_entry = root.at("A long file name, with spaces.text");
  char short_name[32];
  ShortNameToUtf8(long_entry.short_name, 0, short_name);
  auto by_short = fs_->Lookup((std::string("/") + short_name).c_str());
  ASSERT_TRUE(by_short.ok()) << short_name;
  EXPECT_EQ(by_short.value().first_cluster, long_entry.first_cluster);
}

TEST_F(ReadImageTest, ReportsLookupErrors) {
  ExpectError(fs_->Lookup("/missing"), Error::kNotFound);
  ExpectError(fs_->Lookup("/docs/missing/x"), Error::kNotFound);
  ExpectError(fs_->Lookup("/readme.txt/x"), Error::kNotADirectory);
  ExpectError(fs_->Lookup("/docs/../readme.txt"), Error::kBadPath);
  ExpectError(fs_->Lookup(std::string(5000, 'a').c_str()), Error::kBadPath);
  auto docs = fs_->Lookup("/docs");
  ASSERT_TRUE(docs.ok());
  uint8_t byte;
  ExpectError(fs_->Read(docs.value(), 0, &byte, 1), Error::kIsADirectory);
  auto file = fs_->Lookup("/readme.txt");
  ASSERT_TRUE(file.ok());
  ExpectError(fs_->OpenDirectory(file.value()), Error::kNotADirectory);
}

TEST_F(ReadImageTest, RootIsADirectory) {
  auto root = fs_->Lookup("/");
  ASSERT_TRUE(root.ok());
  EXPECT_TRUE(root.value().is_root);
  EXPECT_TRUE(root.value().is_directory());
  EXPECT_EQ(root.value().first_cluster, fs_->geometry().root_cluster);
}

}  // namespace
}  // namespace hiillos::fat32
