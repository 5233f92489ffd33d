// disk/disk_test.cc — //disk is fsck-clean, and lib/fat32 reads back every sample file with
// the pinned time.
#include <stdlib.h>

#include <map>
#include <set>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "lib/fat32/file_system.h"
#include "lib/fat32/testing/deterministic_bytes.h"
#include "lib/fat32/testing/image_tools.h"
#include "lib/fat32/testing/memory_device.h"

namespace hiillos::fat32 {
namespace {

constexpr uint64_t kSourceDateEpoch = 1700000000;

std::string Env(const char* name) {
  const char* value = getenv(name);
  EXPECT_NE(value, nullptr) << name;
  return value ? value : "";
}

class DiskTest : public ::testing::Test {
 protected:
  void SetUp() override {
    device_ = std::make_unique<testing::MemoryDevice>(testing::ReadHostFile(Env("DISK_IMAGE")));
    auto mounted = FileSystem::Mount(*device_, clock_);
    ASSERT_TRUE(mounted.ok()) << ErrorName(mounted.error());
    fs_ = std::make_unique<FileSystem>(std::move(mounted.value()));
  }

  std::vector<uint8_t> Read(const char* path, Node* node_out = nullptr) {
    auto node = fs_->Lookup(path);
    EXPECT_TRUE(node.ok()) << path;
    if (!node.ok()) return {};
    if (node_out) *node_out = node.value();
    std::vector<uint8_t> bytes(node.value().size);
    auto read = fs_->Read(node.value(), 0, bytes.data(), bytes.size());
    EXPECT_TRUE(read.ok()) << path;
    return bytes;
  }

  testing::FixedClock clock_{kSourceDateEpoch};
  std::unique_ptr<testing::MemoryDevice> device_;
  std::unique_ptr<FileSystem> fs_;
};

TEST_F(DiskTest, FsckFindsNoError) {
  const auto fsck = testing::Fsck(Env("DISK_IMAGE"));
  EXPECT_EQ(fsck.status, 0) << fsck.output;
}

TEST_F(DiskTest, EverySampleFileReadsBack) {
  const std::string dir = Env("DISK_FILES_DIR");
  const std::map<std::string, std::string> files = {
      {"/README.txt", dir + "/README.txt"},
      {"/etc/motd", dir + "/etc/motd"},
      {"/etc/hostname", dir + "/etc/hostname"},
      {"/docs/nested/deeper/hello.txt", dir + "/docs/nested/deeper/hello.txt"},
      {"/docs/A file with a long name.txt", dir + "/docs/long_name.txt"},
  };
  for (const auto& [path, source] : files) {
    Node node{};
    EXPECT_TRUE(Read(path.c_str(), &node) == testing::ReadHostFile(source)) << path;
    EXPECT_EQ(node.modified, kSourceDateEpoch) << path;
  }
  const std::vector<uint8_t> random =
      testing::DeterministicBytes(std::stoul(Env("RANDOM_FILE_SIZE")),
                                  static_cast<uint32_t>(std::stoul(Env("RANDOM_FILE_SEED"))));
  EXPECT_GT(random.size(), 4u << 20);
  EXPECT_TRUE(Read("/data/random-5MiB.bin") == random);
  // mtools agrees.
  EXPECT_TRUE(testing::CopyOut(Env("DISK_IMAGE"), "/etc/motd") ==
              testing::ReadHostFile(dir + "/etc/motd"));
}

TEST_F(DiskTest, RootHoldsTheSampleTree) {
  auto reader = fs_->OpenDirectory(fs_->Root());
  ASSERT_TRUE(reader.ok());
  std::set<std::string> names;
  DirEntry entry;
  while (reader.value().Next(&entry).value_or(false)) names.insert(entry.name);
  EXPECT_EQ(names, (std::set<std::string>{"README.txt", "data", "docs", "etc"}));
  EXPECT_EQ(fs_->geometry().volume_id, 0x48494c4cu);
}

}  // namespace
}  // namespace hiillos::fat32
