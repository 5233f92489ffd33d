// lib/fat32/write_image_test.cc — lib/fat32 writes a volume; fsck.fat -n must find no error and
// mtools must read back exactly what was written.
#include <string.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "lib/fat32/file_system.h"
#include "lib/fat32/layout.h"
#include "lib/fat32/testing/image_tools.h"
#include "lib/fat32/testing/memory_device.h"

namespace hiillos::fat32 {
namespace {

using testing::CopyOut;
using testing::DeterministicBytes;
using testing::ExpectError;
using testing::FixedClock;
using testing::Fsck;
using testing::MakeImage;
using testing::MemoryDevice;
using testing::Mtime;
using testing::ReadHostFile;
using testing::RunTool;
using testing::TempPath;
using testing::WriteHostFile;

constexpr uint64_t kCreated = 1700000000;  // 2023-11-14 22:13:20 UTC
constexpr uint64_t kWritten = 1710000000;  // 2024-03-09 16:00:00 UTC

std::vector<uint8_t> Text(const std::string& text) {
  return std::vector<uint8_t>(text.begin(), text.end());
}

#define ASSERT_OK(expr)                                                             \
  ({                                                                                \
    auto&& ok_result_ = (expr);                                                     \
    ASSERT_TRUE(ok_result_.ok()) << #expr << ": " << ErrorName(ok_result_.error()); \
    std::move(ok_result_).value();                                                  \
  })

class WriteImageTest : public ::testing::Test {
 protected:
  void Format(uint32_t size_mib) {
    image_path_ = MakeImage(size_mib);
    device_ = std::make_unique<MemoryDevice>(ReadHostFile(image_path_));
    auto mounted = FileSystem::Mount(*device_, clock_);
    ASSERT_TRUE(mounted.ok()) << ErrorName(mounted.error());
    fs_ = std::make_unique<FileSystem>(std::move(mounted.value()));
  }
  void SetUp() override { Format(64); }

  // Writes the image out and runs fsck.fat -n on it; checks FSInfo's free count against the
  // cluster usage fsck reports.
  void SaveAndCheck() {
    WriteHostFile(image_path_, device_->image());
    const auto fsck = Fsck(image_path_);
    EXPECT_EQ(fsck.status, 0) << fsck.output;
    EXPECT_EQ(fsck.output.find("wrong"), std::string::npos) << fsck.output;
    EXPECT_EQ(fsck.output.find("differ"), std::string::npos) << fsck.output;
    // "<image>: N files, USED/TOTAL clusters"
    const size_t slash = fsck.output.rfind('/');
    const size_t comma = fsck.output.rfind(", ", slash);
    ASSERT_NE(slash, std::string::npos);
    const uint32_t used = std::stoul(fsck.output.substr(comma + 2, slash - comma - 2));
    const uint32_t total = std::stoul(fsck.output.substr(slash + 1));
    const uint8_t* fs_info = device_->image().data() + 512 * fs_->geometry().fs_info_sector;
    EXPECT_EQ(Load32(fs_info + 488), total - used);
    const uint32_t next_free = Load32(fs_info + 492);
    EXPECT_TRUE(next_free >= 2 && next_free < total + 2) << next_free;
    EXPECT_EQ(fs_->free_clusters(), total - used);
    // Both FATs identical.
    const Geometry& g = fs_->geometry();
    const uint8_t* fat0 = device_->image().data() + 512ull * g.reserved_sectors;
    EXPECT_EQ(memcmp(fat0, fat0 + 512ull * g.fat_sectors, 512ull * g.fat_sectors), 0);
  }

  Node Create(const char* path, const std::vector<uint8_t>& bytes) {
    auto node = fs_->CreateFile(path);
    EXPECT_TRUE(node.ok()) << path << ": " << ErrorName(node.error());
    if (!node.ok()) return {};
    Node file = node.value();
    // Several writes of odd sizes, like a server's client would.
    size_t done = 0;
    while (done < bytes.size()) {
      const size_t chunk = std::min<size_t>(bytes.size() - done, 65536 + 7);
      auto written = fs_->Write(file, done, bytes.data() + done, chunk);
      EXPECT_TRUE(written.ok()) << path << ": " << ErrorName(written.error());
      if (!written.ok()) break;
      done += chunk;
    }
    return file;
  }

  std::vector<uint8_t> ReadBack(const char* path) {
    auto node = fs_->Lookup(path);
    EXPECT_TRUE(node.ok()) << path;
    if (!node.ok()) return {};
    std::vector<uint8_t> bytes(node.value().size);
    auto read = fs_->Read(node.value(), 0, bytes.data(), bytes.size());
    EXPECT_TRUE(read.ok());
    return bytes;
  }

  // The cluster a directory's ".." slot names, read from the raw image.
  uint32_t DotDotCluster(const Node& directory) {
    const uint8_t* slot = device_->image().data() +
                          512ull * fs_->geometry().ClusterSector(directory.first_cluster) + 32;
    EXPECT_EQ(memcmp(slot, "..         ", 11), 0);
    return (static_cast<uint32_t>(Load16(slot + 20)) << 16) | Load16(slot + 26);
  }

  std::string Listing(const std::string& dir) {
    return RunTool("FAT32_MDIR", {"-i", image_path_, "::" + dir}).output;
  }

  FixedClock clock_{kCreated};
  std::string image_path_;
  std::unique_ptr<MemoryDevice> device_;
  std::unique_ptr<FileSystem> fs_;
};

TEST_F(WriteImageTest, FilesAndDirectoriesReadBackWithMtools) {
  const uint32_t free_before = fs_->free_clusters();
  std::map<std::string, std::vector<uint8_t>> files = {
      {"/hello.txt", Text("Hello, FAT32!\n")},
      {"/README", Text("exact 8.3 name\n")},
      {"/dir/sub/A long name, with spaces.text", DeterministicBytes(3000, 3)},
      {"/dir/p\xC3\xA4iv\xC3\xA4\xC3\xA4 \xE2\x82\xAC.txt", Text("unicode\n")},
      {"/dir/big.bin", DeterministicBytes(5 * 1024 * 1024 + 7, 4)},
      {"/empty.dat", {}},
  };
  ASSERT_OK(fs_->MakeDirectory("/dir"));
  ASSERT_OK(fs_->MakeDirectory("/dir/sub"));
  ASSERT_OK(fs_->MakeDirectory("/dir/sub/deeper"));
  clock_.Set(kWritten);
  for (const auto& [path, bytes] : files) Create(path.c_str(), bytes);
  SaveAndCheck();
  for (const auto& [path, bytes] : files) {
    EXPECT_TRUE(CopyOut(image_path_, path) == bytes) << path;
    EXPECT_TRUE(ReadBack(path.c_str()) == bytes) << path;
  }
  const std::string listing = Listing("/dir/sub");
  EXPECT_NE(listing.find("A long name, with spaces.text"), std::string::npos) << listing;
  EXPECT_NE(listing.find("deeper"), std::string::npos) << listing;
  const std::string root = Listing("/");
  EXPECT_NE(root.find("README"), std::string::npos) << root;
  EXPECT_LT(fs_->free_clusters(), free_before - (5u << 20) / fs_->geometry().bytes_per_cluster);
}

TEST_F(WriteImageTest, TimestampsComeFromTheClock) {
  Node file = ASSERT_OK(fs_->CreateFile("/stamped.txt"));
  EXPECT_EQ(file.created, kCreated);
  clock_.Set(kWritten);
  ASSERT_OK(fs_->Write(file, 0, Text("x").data(), 1));
  const Node again = ASSERT_OK(fs_->Lookup("/stamped.txt"));
  EXPECT_EQ(again.created, kCreated);
  EXPECT_EQ(again.modified, kWritten);
  EXPECT_EQ(again.accessed, kWritten - kWritten % 86400);
  SaveAndCheck();
  // mcopy -m gives the extracted file the entry's modification time (TZ=UTC).
  const std::string host = TempPath("stamped");
  const auto copied =
      RunTool("FAT32_MCOPY", {"-m", "-n", "-i", image_path_, "::/stamped.txt", host});
  ASSERT_EQ(copied.status, 0) << copied.output;
  EXPECT_EQ(Mtime(host), static_cast<int64_t>(kWritten));
}

TEST_F(WriteImageTest, ManyFilesInOneDirectory) {
  ASSERT_OK(fs_->MakeDirectory("/many"));
  constexpr int kFiles = 300;
  for (int i = 0; i < kFiles; ++i) {
    const std::string path = "/many/file number " + std::to_string(i) + ".txt";
    Create(path.c_str(), Text(std::to_string(i * i)));
  }
  // 300 entries of 3 slots each: far more than one 512-byte cluster.
  SaveAndCheck();
  const std::string listing = Listing("/many");
  for (int i = 0; i < kFiles; i += 37) {
    const std::string path = "/many/file number " + std::to_string(i) + ".txt";
    EXPECT_TRUE(CopyOut(image_path_, path) == Text(std::to_string(i * i))) << path;
    EXPECT_NE(listing.find("file number " + std::to_string(i) + ".txt"), std::string::npos);
  }
  EXPECT_NE(listing.find("302 files"), std::string::npos) << listing;  // with . and ..
}

TEST_F(WriteImageTest, RenameAndDelete) {
  const uint32_t free_before = fs_->free_clusters();
  ASSERT_OK(fs_->MakeDirectory("/a"));
  ASSERT_OK(fs_->MakeDirectory("/a/inner"));
  ASSERT_OK(fs_->MakeDirectory("/b"));
  Create("/a/one.txt", Text("one"));
  Create("/a/inner/two.bin", DeterministicBytes(10000, 5));
  Create("/b/three.txt", Text("three"));
  Create("/b/replaced.txt", Text("old contents"));

  // Within a directory, across directories, a directory with its subtree, over a file.
  ASSERT_OK(fs_->Rename("/a/one.txt", "/a/One renamed.txt"));
  ASSERT_OK(fs_->Rename("/b/three.txt", "/a/three moved.txt"));
  ASSERT_OK(fs_->Rename("/a/inner", "/b/inner moved"));
  ASSERT_OK(fs_->Rename("/a/One renamed.txt", "/b/replaced.txt"));
  ASSERT_OK(fs_->Rename("/b/replaced.txt", "/b/REPLACED.TXT"));  // case only

  ExpectError(fs_->Lookup("/a/one.txt"), Error::kNotFound);
  ExpectError(fs_->Lookup("/a/inner"), Error::kNotFound);
  ExpectError(fs_->Rename("/b", "/b/inner moved/b"), Error::kInvalidRename);
  ExpectError(fs_->Rename("/b", "/b/x"), Error::kInvalidRename);
  ExpectError(fs_->Rename("/a/three moved.txt", "/b"), Error::kExists);
  ExpectError(fs_->Rename("/", "/x"), Error::kInvalidRename);
  ExpectError(fs_->Rename("/missing", "/x"), Error::kNotFound);
  SaveAndCheck();
  EXPECT_TRUE(CopyOut(image_path_, "/b/REPLACED.TXT") == Text("one"));
  EXPECT_TRUE(CopyOut(image_path_, "/a/three moved.txt") == Text("three"));
  EXPECT_TRUE(CopyOut(image_path_, "/b/inner moved/two.bin") == DeterministicBytes(10000, 5));
  // The moved directory's ".." names its new parent.
  const Node moved = ASSERT_OK(fs_->Lookup("/b/inner moved"));
  const Node b = ASSERT_OK(fs_->Lookup("/b"));
  EXPECT_EQ(DotDotCluster(moved), b.first_cluster);

  ExpectError(fs_->RemoveDirectory("/b"), Error::kDirectoryNotEmpty);
  ExpectError(fs_->Unlink("/b"), Error::kIsADirectory);
  ExpectError(fs_->RemoveDirectory("/a/three moved.txt"), Error::kNotADirectory);
  ASSERT_OK(fs_->Unlink("/b/inner moved/two.bin"));
  ASSERT_OK(fs_->RemoveDirectory("/b/inner moved"));
  ASSERT_OK(fs_->Unlink("/b/REPLACED.TXT"));
  ASSERT_OK(fs_->Unlink("/a/three moved.txt"));
  ASSERT_OK(fs_->RemoveDirectory("/a"));
  ASSERT_OK(fs_->RemoveDirectory("/b"));
  ExpectError(fs_->Unlink("/a/three moved.txt"), Error::kNotFound);
  EXPECT_EQ(fs_->free_clusters(), free_before);
  SaveAndCheck();
  EXPECT_NE(Listing("/").find("No files"), std::string::npos) << Listing("/");
}

TEST_F(WriteImageTest, TruncateShrinksAndZeroFills) {
  std::vector<uint8_t> expected = DeterministicBytes(10000, 6);
  Node file = Create("/t.bin", expected);
  ASSERT_OK(fs_->Truncate(file, 3000));
  expected.resize(3000);
  ASSERT_OK(fs_->Truncate(file, 9000));
  expected.resize(9000, 0);
  // A write past the end leaves a zero-filled gap.
  const std::vector<uint8_t> tail = Text("tail");
  ASSERT_OK(fs_->Write(file, 20000, tail.data(), tail.size()));
  expected.resize(20000, 0);
  expected.insert(expected.end(), tail.begin(), tail.end());
  EXPECT_EQ(file.size, expected.size());
  SaveAndCheck();
  EXPECT_TRUE(CopyOut(image_path_, "/t.bin") == expected);
  ASSERT_OK(fs_->Truncate(file, 0));
  EXPECT_EQ(file.first_cluster, 0u);
  SaveAndCheck();
  EXPECT_TRUE(CopyOut(image_path_, "/t.bin").empty());
}

TEST_F(WriteImageTest, FillingTheDiskFailsCleanly) {
  Format(34);
  ASSERT_OK(fs_->MakeDirectory("/full"));
  Node file = ASSERT_OK(fs_->CreateFile("/full/filler.bin"));
  const std::vector<uint8_t> chunk = DeterministicBytes(1 << 20, 7);
  uint64_t offset = 0;
  Error error = Error::kIo;
  for (;;) {
    auto written = fs_->Write(file, offset, chunk.data(), chunk.size());
    if (!written.ok()) {
      error = written.error();
      break;
    }
    offset += chunk.size();
  }
  EXPECT_EQ(error, Error::kNoSpace) << ErrorName(error);
  EXPECT_EQ(file.size, offset);  // the failed write changed nothing
  EXPECT_LT(fs_->free_clusters(), (1u << 20) / fs_->geometry().bytes_per_cluster);
  // Fill the last clusters exactly, then nothing fits.
  const uint32_t left = fs_->free_clusters() * fs_->geometry().bytes_per_cluster;
  ASSERT_OK(fs_->Write(file, offset, chunk.data(), left));
  EXPECT_EQ(fs_->free_clusters(), 0u);
  ExpectError(fs_->Write(file, offset + left, chunk.data(), 1), Error::kNoSpace);
  ExpectError(fs_->MakeDirectory("/full/sub"), Error::kNoSpace);
  // New entries that need the directory to grow fail too; fitting ones succeed.
  for (int i = 0;; ++i) {
    auto created = fs_->CreateFile(("/full/entry " + std::to_string(i)).c_str());
    if (!created.ok()) {
      EXPECT_EQ(created.error(), Error::kNoSpace);
      break;
    }
    ASSERT_LT(i, 1000);
  }
  SaveAndCheck();
  std::vector<uint8_t> expected;
  for (uint64_t at = 0; at < offset; at += chunk.size()) {
    expected.insert(expected.end(), chunk.begin(), chunk.end());
  }
  expected.insert(expected.end(), chunk.begin(), chunk.begin() + left);
  EXPECT_TRUE(CopyOut(image_path_, "/full/filler.bin") == expected);
  // Deleting gives the space back.
  ASSERT_OK(fs_->Unlink("/full/filler.bin"));
  EXPECT_GT(fs_->free_clusters(), (30u << 20) / fs_->geometry().bytes_per_cluster);
  Create("/after.txt", Text("space again"));
  SaveAndCheck();
}

TEST_F(WriteImageTest, ReportsErrors) {
  Create("/file.txt", Text("x"));
  ASSERT_OK(fs_->MakeDirectory("/dir"));
  ExpectError(fs_->CreateFile("/file.txt"), Error::kExists);
  ExpectError(fs_->CreateFile("/FILE.TXT"), Error::kExists);
  ExpectError(fs_->MakeDirectory("/dir"), Error::kExists);
  ExpectError(fs_->CreateFile("/missing/x"), Error::kNotFound);
  ExpectError(fs_->CreateFile("/file.txt/x"), Error::kNotADirectory);
  ExpectError(fs_->CreateFile("/bad:name"), Error::kBadName);
  ExpectError(fs_->CreateFile("/trailing."), Error::kBadName);
  ExpectError(fs_->CreateFile(("/" + std::string(256, 'n')).c_str()), Error::kNameTooLong);
  ExpectError(fs_->CreateFile("/"), Error::kBadPath);
  ExpectError(fs_->CreateFile("/dir/.."), Error::kBadPath);
  Node dir = ASSERT_OK(fs_->Lookup("/dir"));
  ExpectError(fs_->Write(dir, 0, Text("x").data(), 1), Error::kIsADirectory);
  ExpectError(fs_->Truncate(dir, 0), Error::kIsADirectory);
  Node file = ASSERT_OK(fs_->Lookup("/file.txt"));
  ExpectError(fs_->Write(file, 0xFFFFFFFF, Text("x").data(), 1), Error::kFileTooLarge);
  ExpectError(fs_->RemoveDirectory("/"), Error::kBadPath);
  // A 255-character name works.
  Create(("/" + std::string(255, 'n')).c_str(), Text("long"));
  SaveAndCheck();
}

TEST_F(WriteImageTest, AllocationStartsAtTheFsInfoHint) {
  const uint32_t hint = 5000;
  uint8_t* fs_info = device_->image().data() + 512 * fs_->geometry().fs_info_sector;
  Store32(fs_info + 492, hint);
  auto mounted = FileSystem::Mount(*device_, clock_);
  ASSERT_TRUE(mounted.ok());
  fs_ = std::make_unique<FileSystem>(std::move(mounted.value()));
  Node file = Create("/hinted.bin", DeterministicBytes(3 * 512, 12));
  EXPECT_EQ(file.first_cluster, hint);
  SaveAndCheck();
  EXPECT_EQ(Load32(device_->image().data() + 512 * fs_->geometry().fs_info_sector + 492), hint + 3);
}

TEST_F(WriteImageTest, WithMirroringOffOnlyTheActiveFatChanges) {
  // ExtFlags: mirroring off, FAT 1 active.
  Store16(device_->image().data() + 40, 0x80 | 1);
  auto mounted = FileSystem::Mount(*device_, clock_);
  ASSERT_TRUE(mounted.ok());
  fs_ = std::make_unique<FileSystem>(std::move(mounted.value()));
  const Geometry& g = fs_->geometry();
  const std::vector<uint8_t> before = device_->image();
  Create("/active.bin", DeterministicBytes(2000, 13));
  const size_t fat0 = 512ull * g.reserved_sectors;
  const size_t fat_bytes = 512ull * g.fat_sectors;
  EXPECT_EQ(memcmp(before.data() + fat0, device_->image().data() + fat0, fat_bytes), 0);
  EXPECT_NE(memcmp(before.data() + fat0 + fat_bytes, device_->image().data() + fat0 + fat_bytes,
                   fat_bytes),
            0);
  EXPECT_TRUE(ReadBack("/active.bin") == DeterministicBytes(2000, 13));
}

}  // namespace
}  // namespace hiillos::fat32
