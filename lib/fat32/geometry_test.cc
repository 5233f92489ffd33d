// lib/fat32/geometry_test.cc — boot sector validation on a real mkfs.fat boot sector and on
// every field made wrong.
#include "lib/fat32/geometry.h"

#include <string.h>

#include <functional>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "lib/fat32/layout.h"
#include "lib/fat32/testing/image_tools.h"

namespace hiillos::fat32 {
namespace {

using testing::Fsck;
using testing::MakeImage;
using testing::ReadHostFile;

class GeometryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    image_path_ = MakeImage(40);
    image_ = ReadHostFile(image_path_);
    ASSERT_EQ(image_.size(), 40u << 20);
  }
  uint64_t sectors() const { return image_.size() / 512; }

  // Parses sector 0 after `change` was applied to a copy of it.
  Result<Geometry, Error> ParseChanged(const std::function<void(uint8_t*)>& change) {
    std::vector<uint8_t> sector(image_.begin(), image_.begin() + 512);
    change(sector.data());
    return ParseBootSector(sector.data(), sectors());
  }
  void ExpectError(Error expected, const std::function<void(uint8_t*)>& change) {
    auto result = ParseChanged(change);
    ASSERT_FALSE(result.ok()) << "expected " << ErrorName(expected);
    EXPECT_EQ(result.error(), expected) << ErrorName(result.error());
  }

  std::string image_path_;
  std::vector<uint8_t> image_;
};

TEST_F(GeometryTest, AgreesWithFsckOnARealVolume) {
  auto geometry = ParseBootSector(image_.data(), sectors());
  ASSERT_TRUE(geometry.ok()) << ErrorName(geometry.error());
  const Geometry& g = geometry.value();
  EXPECT_EQ(g.total_sectors, sectors());
  EXPECT_EQ(g.fat_count, 2u);
  EXPECT_EQ(g.root_cluster, 2u);
  EXPECT_EQ(g.volume_id, 0x12345678u);
  EXPECT_TRUE(g.fat_mirrored);
  EXPECT_EQ(g.fs_info_sector, 1u);
  EXPECT_EQ(g.data_start, g.reserved_sectors + 2 * g.fat_sectors);
  // fsck.fat prints "<image>: 0 files, 1/<clusters> clusters".
  const std::string report = Fsck(image_path_).output;
  EXPECT_NE(report.find("/" + std::to_string(g.cluster_count) + " clusters"), std::string::npos)
      << report;
  EXPECT_TRUE(CheckFsInfo(image_.data() + 512).ok());
}

TEST_F(GeometryTest, RejectsEveryBadField) {
  ExpectError(Error::kBadBootSignature, [](uint8_t* s) { s[510] = 0; });
  ExpectError(Error::kBadBootSignature, [](uint8_t* s) { s[0] = 0; });
  ExpectError(Error::kBadBytesPerSector, [](uint8_t* s) { Store16(s + 11, 4096); });
  ExpectError(Error::kBadBytesPerSector, [](uint8_t* s) { Store16(s + 11, 0); });
  ExpectError(Error::kBadSectorsPerCluster, [](uint8_t* s) { s[13] = 0; });
  ExpectError(Error::kBadSectorsPerCluster, [](uint8_t* s) { s[13] = 3; });
  ExpectError(Error::kNotFat32, [](uint8_t* s) { Store16(s + 17, 512); });
  ExpectError(Error::kNotFat32, [](uint8_t* s) { Store16(s + 22, 9); });
  ExpectError(Error::kNotFat32, [](uint8_t* s) { Store32(s + 36, 0); });
  ExpectError(Error::kNotFat32, [](uint8_t* s) { Store16(s + 42, 1); });
  ExpectError(Error::kBadMedia, [](uint8_t* s) { s[21] = 0x12; });
  ExpectError(Error::kBadFatCount, [](uint8_t* s) { s[16] = 0; });
  ExpectError(Error::kBadFatCount, [](uint8_t* s) { s[16] = 200; });
  ExpectError(Error::kBadReservedSectors, [](uint8_t* s) { Store16(s + 14, 0); });
  ExpectError(Error::kBadReservedSectors, [](uint8_t* s) { Store16(s + 48, 40); });
  ExpectError(Error::kBadReservedSectors, [](uint8_t* s) { Store16(s + 50, 40); });
  ExpectError(Error::kBadTotalSectors, [](uint8_t* s) { Store32(s + 32, 0), Store16(s + 19, 0); });
  ExpectError(Error::kBadTotalSectors, [](uint8_t* s) { Store16(s + 19, 1000); });
  ExpectError(Error::kBadTotalSectors, [](uint8_t* s) { Store32(s + 36, 0x80000000); });
  ExpectError(Error::kBadTotalSectors, [](uint8_t* s) { Store32(s + 36, 50000); });
  ExpectError(Error::kBadFatSize, [](uint8_t* s) { Store32(s + 36, 8); });
  // A volume larger than the image (its FAT grown to match).
  ExpectError(Error::kTruncatedImage, [](uint8_t* s) {
    Store32(s + 32, Load32(s + 32) + 4096);
    Store32(s + 36, Load32(s + 36) + 64);
  });
  ExpectError(Error::kBadActiveFat, [](uint8_t* s) { Store16(s + 40, 0x80 | 3); });
  ExpectError(Error::kBadRootCluster, [](uint8_t* s) { Store32(s + 44, 0); });
  ExpectError(Error::kBadRootCluster, [](uint8_t* s) { Store32(s + 44, 0x0FFFFFFF); });
}

TEST_F(GeometryTest, MirroringOffReadsTheActiveFat) {
  auto result = ParseChanged([](uint8_t* s) { Store16(s + 40, 0x80 | 1); });
  ASSERT_TRUE(result.ok());
  EXPECT_FALSE(result.value().fat_mirrored);
  EXPECT_EQ(result.value().active_fat, 1u);
}

TEST_F(GeometryTest, FsInfoSignaturesAreChecked) {
  std::vector<uint8_t> fs_info(image_.begin() + 512, image_.begin() + 1024);
  for (size_t offset : {0u, 484u, 508u}) {
    std::vector<uint8_t> broken = fs_info;
    broken[offset] ^= 1;
    auto result = CheckFsInfo(broken.data());
    ASSERT_FALSE(result.ok());
    EXPECT_EQ(result.error(), Error::kBadFsInfo);
  }
}

}  // namespace
}  // namespace hiillos::fat32
