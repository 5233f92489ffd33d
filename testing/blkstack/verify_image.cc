// testing/blkstack/verify_image.cc — the host half of the block-stack test: after the guest ran
// testing/fs/sequence.h on the virtio disk, fsck.fat finds nothing wrong with the image and
// mtools reads back the final state the sequence leaves (the same checks as
// //services/vfsd:fs_stack_test), plus //disk's own 5 MiB file untouched. Run by
// blkstack_test.sh with BLKSTACK_IMAGE, FAT32_FSCK and FAT32_MCOPY in the environment.
#include <stdint.h>
#include <stdlib.h>

#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "lib/fat32/testing/image_tools.h"
#include "testing/fs/sequence.h"

namespace hiillos {
namespace {

std::string Image() {
  const char* image = getenv("BLKSTACK_IMAGE");
  return image == nullptr ? std::string() : std::string(image);
}

TEST(BlkstackImage, FsckFindsNothing) {
  ASSERT_FALSE(Image().empty());
  const auto fsck = fat32::testing::Fsck(Image());
  EXPECT_EQ(fsck.status, 0) << fsck.output;
}

TEST(BlkstackImage, TheSequencesFinalStateIsThere) {
  const std::vector<uint8_t> big = fat32::testing::CopyOut(Image(), "/big.bin");
  ASSERT_EQ(big.size(), fstest::kBigFileSize);
  size_t mismatches = 0;
  for (size_t i = 0; i < big.size(); ++i) mismatches += big[i] != fstest::FinalBigFileByte(i);
  EXPECT_EQ(mismatches, 0u);
  const std::vector<uint8_t> leaf =
      fat32::testing::CopyOut(Image(), "/tree/d/leaf renamed with a long name.txt");
  EXPECT_EQ(std::string(leaf.begin(), leaf.end()), fstest::kLeafText);
  for (const char* name : fstest::kFinalManyFiles) {
    const std::string full = std::string("/tree/many/") + name;
    const std::vector<uint8_t> bytes = fat32::testing::CopyOut(Image(), full);
    EXPECT_EQ(std::string(bytes.begin(), bytes.end()), full);
  }
}

// //disk's /data/random-5MiB.bin (disk/BUILD.bazel: xorshift32 from seed 5) is unchanged.
TEST(BlkstackImage, TheDisksOwnFilesAreIntact) {
  const std::vector<uint8_t> random = fat32::testing::CopyOut(Image(), "/data/random-5MiB.bin");
  ASSERT_EQ(random.size(), 5u * 1024 * 1024);
  uint32_t state = 5 * 2654435761u + 1;
  size_t mismatches = 0;
  for (uint8_t byte : random) {
    state ^= state << 13;
    state ^= state >> 17;
    state ^= state << 5;
    mismatches += byte != static_cast<uint8_t>(state >> 24);
  }
  EXPECT_EQ(mismatches, 0u);
  EXPECT_FALSE(fat32::testing::CopyOut(Image(), "/README.txt").empty());
}

}  // namespace
}  // namespace hiillos
