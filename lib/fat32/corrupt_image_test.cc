// lib/fat32/corrupt_image_test.cc — corrupt volumes (cyclic or out-of-range chains, bad BPB,
// FSInfo or directories, truncated images) and failing devices give errors, never a crash or
// a hang.
#include <string.h>

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

using testing::CopyIn;
using testing::DeterministicBytes;
using testing::ExpectError;
using testing::FixedClock;
using testing::MakeDirectoryIn;
using testing::MakeImage;
using testing::MemoryDevice;
using testing::ReadHostFile;
using testing::TempPath;
using testing::WriteHostFile;

// A clean volume with /chain.bin (3 clusters), /dir/inner/x.txt and a long name; each test
// corrupts a copy.
class CorruptImageTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    const std::string path = MakeImage(40);
    MakeDirectoryIn(path, "/dir");
    MakeDirectoryIn(path, "/dir/inner");
    const std::string host = TempPath("host");
    WriteHostFile(host, DeterministicBytes(1500, 9));
    CopyIn(path, host, "/chain.bin");
    CopyIn(path, host, "/dir/inner/x.txt");
    CopyIn(path, host, "/A long chain name.bin");
    clean_ = new std::vector<uint8_t>(ReadHostFile(path));
  }
  static void TearDownTestSuite() { delete clean_; }

  void SetUp() override {
    image_ = *clean_;
    // Locations read with the library from the clean image.
    MemoryDevice device(image_);
    auto fs = FileSystem::Mount(device, clock_);
    ASSERT_TRUE(fs.ok());
    geometry_ = fs.value().geometry();
    chain_ = fs.value().Lookup("/chain.bin").value();
    dir_ = fs.value().Lookup("/dir").value();
    ASSERT_EQ(chain_.size, 1500u);
    ASSERT_EQ(geometry_.bytes_per_cluster, 512u);
  }

  // Sets FAT entry `cluster` in every FAT copy.
  void SetFat(uint32_t cluster, uint32_t value) {
    for (uint32_t fat = 0; fat < geometry_.fat_count; ++fat) {
      const size_t offset =
          512ull * (geometry_.reserved_sectors + fat * geometry_.fat_sectors) + 4ull * cluster;
      Store32(image_.data() + offset, value);
    }
  }
  uint8_t* EntrySlot(const Node& node) {
    return image_.data() + 512ull * geometry_.ClusterSector(node.entry.cluster) +
           32ull * node.entry.slot_in_cluster;
  }

  // Mounts the corrupted copy; the test continues with fs().
  Result<void, Error> Mount() {
    device_ = std::make_unique<MemoryDevice>(image_);
    auto mounted = FileSystem::Mount(*device_, clock_);
    if (!mounted.ok()) return Err(mounted.error());
    fs_ = std::make_unique<FileSystem>(std::move(mounted.value()));
    return {};
  }
  void ExpectMountError(Error error) {
    auto mounted = Mount();
    ASSERT_FALSE(mounted.ok());
    EXPECT_EQ(mounted.error(), error) << ErrorName(mounted.error());
  }
  Result<size_t, Error> ReadChain() {
    std::vector<uint8_t> out(1500);
    auto node = fs_->Lookup("/chain.bin");
    if (!node.ok()) return Err(node.error());
    return fs_->Read(node.value(), 0, out.data(), out.size());
  }

  static std::vector<uint8_t>* clean_;
  std::vector<uint8_t> image_;
  FixedClock clock_{1700000000};
  Geometry geometry_{};
  Node chain_{};
  Node dir_{};
  std::unique_ptr<MemoryDevice> device_;
  std::unique_ptr<FileSystem> fs_;
};

std::vector<uint8_t>* CorruptImageTest::clean_ = nullptr;

TEST_F(CorruptImageTest, CleanImageWorks) {
  ASSERT_TRUE(Mount().ok());
  auto read = ReadChain();
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(read.value(), 1500u);
}

TEST_F(CorruptImageTest, CyclicFileChainIsAnError) {
  const uint32_t first = chain_.first_cluster;
  SetFat(first + 2, first);  // last -> first (mtools allocates contiguously)
  ASSERT_TRUE(Mount().ok());
  Node node = fs_->Lookup("/chain.bin").value();
  // Appending walks the chain to its end, which never comes.
  ExpectError(fs_->Write(node, node.size + 600, reinterpret_cast<const uint8_t*>("x"), 1),
              Error::kChainLoop);
  ExpectError(fs_->Unlink("/chain.bin"), Error::kChainLoop);
  ExpectError(fs_->Truncate(node, 0), Error::kChainLoop);
  // A claimed size far past the loop cannot be read either.
  Store32(EntrySlot(chain_) + 28, 0x7FFFFFFF);
  ASSERT_TRUE(Mount().ok());
  node = fs_->Lookup("/chain.bin").value();
  std::vector<uint8_t> out(1 << 20);
  uint64_t offset = 0;
  Error error = Error::kIo;
  for (;;) {
    auto read = fs_->Read(node, offset, out.data(), out.size());
    if (!read.ok()) {
      error = read.error();
      break;
    }
    offset += read.value();
  }
  EXPECT_EQ(error, Error::kChainLoop) << ErrorName(error);
}

TEST_F(CorruptImageTest, OutOfRangeFreeAndBadClustersInAChain) {
  const uint32_t first = chain_.first_cluster;
  for (uint32_t bad : {geometry_.cluster_count + 2, 0x0FFFFFF0u, 0u, 1u, kFatBad}) {
    image_ = *clean_;
    SetFat(first, bad);
    ASSERT_TRUE(Mount().ok());
    ExpectError(ReadChain(), Error::kBadCluster);
    ExpectError(fs_->Unlink("/chain.bin"), Error::kBadCluster);
  }
  // The entry's first cluster itself out of range.
  image_ = *clean_;
  Store16(EntrySlot(chain_) + 20, 0x0FFF);
  ASSERT_TRUE(Mount().ok());
  ExpectError(ReadChain(), Error::kBadCluster);
}

TEST_F(CorruptImageTest, SizeBeyondTheChain) {
  Store32(EntrySlot(chain_) + 28, 4000);
  ASSERT_TRUE(Mount().ok());
  auto node = fs_->Lookup("/chain.bin");
  std::vector<uint8_t> out(4000);
  ExpectError(fs_->Read(node.value(), 0, out.data(), out.size()), Error::kChainTooShort);
}

TEST_F(CorruptImageTest, DirectoryChainLoops) {
  SetFat(dir_.first_cluster, dir_.first_cluster);  // /dir's chain points to itself
  // No end marker in its cluster: a walk must follow the chain.
  uint8_t* slots = image_.data() + 512ull * geometry_.ClusterSector(dir_.first_cluster);
  for (uint32_t i = 3; i < 16; ++i) slots[32 * i] = slot::kFree;
  ASSERT_TRUE(Mount().ok());
  auto found = fs_->Lookup("/dir/missing");
  ASSERT_FALSE(found.ok());
  EXPECT_TRUE(found.error() == Error::kChainLoop || found.error() == Error::kBadDirectory)
      << ErrorName(found.error());
  auto created = fs_->CreateFile("/dir/new");
  ASSERT_FALSE(created.ok());
  // The root's chain looping is found at mount.
  image_ = *clean_;
  SetFat(geometry_.root_cluster, geometry_.root_cluster);
  ExpectMountError(Error::kChainLoop);
}

TEST_F(CorruptImageTest, DirectoryEntriesPointingNowhere) {
  // /dir's entry names cluster 0 and then an out-of-range cluster.
  Store16(EntrySlot(dir_) + 26, 0);
  Store16(EntrySlot(dir_) + 20, 0);
  ASSERT_TRUE(Mount().ok());
  ExpectError(fs_->Lookup("/dir/inner"), Error::kBadDirectory);
  Store16(EntrySlot(dir_) + 20, 0x0FFF);
  ASSERT_TRUE(Mount().ok());
  ExpectError(fs_->Lookup("/dir/inner"), Error::kBadDirectory);
}

TEST_F(CorruptImageTest, DirectoryContainingItself) {
  // /dir/inner's entry names /dir's cluster: a cycle in the tree. Lookups stay bounded by the
  // path; moving /dir below it is refused.
  auto inner_location = [&]() {
    MemoryDevice device(image_);
    auto fs = FileSystem::Mount(device, clock_);
    return fs.value().Lookup("/dir/inner").value();
  }();
  Store16(EntrySlot(inner_location) + 26, static_cast<uint16_t>(dir_.first_cluster));
  Store16(EntrySlot(inner_location) + 20, static_cast<uint16_t>(dir_.first_cluster >> 16));
  ASSERT_TRUE(Mount().ok());
  EXPECT_TRUE(fs_->Lookup("/dir/inner/inner/inner/inner").ok());
  ExpectError(fs_->Rename("/dir", "/dir/inner/moved"), Error::kInvalidRename);
}

TEST_F(CorruptImageTest, BadBootSectorsAndFsInfo) {
  Store16(image_.data() + 11, 1024);
  ExpectMountError(Error::kBadBytesPerSector);
  image_ = *clean_;
  image_[13] = 0;
  ExpectMountError(Error::kBadSectorsPerCluster);
  image_ = *clean_;
  Store32(image_.data() + 44, 1);
  ExpectMountError(Error::kBadRootCluster);
  image_ = *clean_;
  image_[512 + 484] ^= 0xFF;
  ExpectMountError(Error::kBadFsInfo);
  image_ = *clean_;
  memset(image_.data(), 0, 512);
  ExpectMountError(Error::kBadBootSignature);
  image_ = *clean_;
  SetFat(0, 0x0FFFFFF0);  // FAT[0] no longer repeats the media byte 0xF8
  ExpectMountError(Error::kBadMedia);
}

TEST_F(CorruptImageTest, TruncatedImages) {
  image_.resize(image_.size() / 2);
  ExpectMountError(Error::kTruncatedImage);
  image_.resize(100);
  ExpectMountError(Error::kTruncatedImage);
  image_.clear();
  ExpectMountError(Error::kTruncatedImage);
}

TEST_F(CorruptImageTest, BrokenLongNamesFallBackToShortNames) {
  // The first long-name slot's checksum no longer matches the short name: the entry is listed
  // and found by its short name only.
  const DirEntry entry = [&]() {
    MemoryDevice device(image_);
    auto fs = FileSystem::Mount(device, clock_);
    auto reader = fs.value().OpenDirectory(fs.value().Root());
    DirEntry listed;
    while (reader.value().Next(&listed).value()) {
      if (strcmp(listed.name, "A long chain name.bin") == 0) return listed;
    }
    ADD_FAILURE() << "long name not listed";
    return listed;
  }();
  ASSERT_EQ(entry.slot_count, 3u);  // two long-name slots and the short slot
  char short_name[32];
  ShortNameToUtf8(entry.short_name, 0, short_name);
  uint8_t* first = image_.data() + 512ull * geometry_.ClusterSector(entry.first_slot.cluster) +
                   32ull * entry.first_slot.slot_in_cluster;
  first[13] ^= 0xFF;
  ASSERT_TRUE(Mount().ok());
  ExpectError(fs_->Lookup("/A long chain name.bin"), Error::kNotFound);
  auto by_short = fs_->Lookup((std::string("/") + short_name).c_str());
  ASSERT_TRUE(by_short.ok()) << short_name;
  EXPECT_EQ(by_short.value().first_cluster, entry.first_cluster);
}

// Creates, writes, renames, truncates and removes: touches every kind of write.
Result<void, Error> ChangeEverything(FileSystem& fs) {
  TRY(fs.MakeDirectory("/d"));
  Node file = TRY(fs.CreateFile("/d/a file with a long name.bin"));
  const std::vector<uint8_t> bytes = DeterministicBytes(5000, 11);
  TRY(fs.Write(file, 0, bytes.data(), bytes.size()));
  TRY(fs.Rename("/d/a file with a long name.bin", "/moved.bin"));
  file = TRY(fs.Lookup("/moved.bin"));
  TRY(fs.Truncate(file, 100));
  TRY(fs.Unlink("/moved.bin"));
  return fs.RemoveDirectory("/d");
}

TEST(IoErrors, EveryFailedReadOrWriteIsReportedAsIo) {
  const std::vector<uint8_t> clean = ReadHostFile(MakeImage(1));
  FixedClock clock(1700000000);
  // Count the scenario's reads and writes on a good device.
  MemoryDevice good(clean);
  auto mounted = FileSystem::Mount(good, clock);
  ASSERT_TRUE(mounted.ok()) << ErrorName(mounted.error());
  const uint64_t mount_reads = good.reads();
  ASSERT_TRUE(ChangeEverything(mounted.value()).ok());
  const uint64_t reads = good.reads() - mount_reads;
  const uint64_t writes = good.writes();
  ASSERT_GT(writes, 10u);
  for (uint64_t n = 0; n < writes; ++n) {
    MemoryDevice device(clean);
    auto fs = FileSystem::Mount(device, clock);
    ASSERT_TRUE(fs.ok());
    device.FailAfter(~uint64_t{0} / 2, n);
    ExpectError(ChangeEverything(fs.value()), Error::kIo);
  }
  for (uint64_t n = 0; n < reads; ++n) {
    MemoryDevice device(clean);
    auto fs = FileSystem::Mount(device, clock);
    ASSERT_TRUE(fs.ok());
    device.FailAfter(n, ~uint64_t{0} / 2);
    ExpectError(ChangeEverything(fs.value()), Error::kIo);
  }
  for (uint64_t n = 0; n < mount_reads; ++n) {
    MemoryDevice device(clean);
    device.FailAfter(n, 0);
    ExpectError(FileSystem::Mount(device, clock), Error::kIo);
  }
}

}  // namespace
}  // namespace hiillos::fat32
