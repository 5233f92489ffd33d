// bootloader/rsdp_scan_test.cc — the legacy RSDP search: EBDA first, then the BIOS area;
// signatures and checksums of ACPI 1.0 and 2.0 RSDPs.
#include "bootloader/rsdp_scan.h"

#include <gtest/gtest.h>

#include <cstring>
#include <vector>

namespace hiillos::loader {
namespace {

class RsdpScanTest : public ::testing::Test {
 protected:
  RsdpScanTest() : memory_(0x100000, 0) {}

  // Writes an RSDP of `revision` at `at` with valid checksums.
  void PutRsdp(uint64_t at, uint8_t revision) {
    uint8_t* p = &memory_[at];
    std::memcpy(p, "RSD PTR ", 8);
    std::memcpy(p + 9, "HIILOS", 6);
    p[15] = revision;
    p[16] = 0x34;  // RSDT address
    p[8] = 0;
    p[8] = static_cast<uint8_t>(-Sum(p, 20));
    if (revision >= 2) {
      const uint32_t length = 36;
      std::memcpy(p + 20, &length, 4);
      p[24] = 0x78;  // XSDT address
      p[32] = 0;
      p[32] = static_cast<uint8_t>(-Sum(p, 36));
    }
  }
  static uint8_t Sum(const uint8_t* p, size_t n) {
    uint8_t sum = 0;
    for (size_t i = 0; i < n; ++i) sum = static_cast<uint8_t>(sum + p[i]);
    return sum;
  }
  PhysicalView View() const {
    return PhysicalView(reinterpret_cast<uint64_t>(memory_.data()), memory_.size());
  }

  std::vector<uint8_t> memory_;
};

TEST_F(RsdpScanTest, FindsAnAcpi1RsdpInTheBiosArea) {
  PutRsdp(0xf59e0, 0);
  EXPECT_EQ(ScanLegacyRsdp(View()), 0xf59e0u);
}

TEST_F(RsdpScanTest, PrefersTheEbda) {
  PutRsdp(0xf0000, 2);
  const uint16_t segment = 0x9fc0;
  std::memcpy(&memory_[0x40e], &segment, 2);
  PutRsdp(0x9fc00 + 0x30, 2);
  EXPECT_EQ(ScanLegacyRsdp(View()), 0x9fc30u);
}

TEST_F(RsdpScanTest, SkipsBadChecksumsAndMisalignedCopies) {
  PutRsdp(0xe0008, 0);  // not on a 16-byte boundary: never looked at
  PutRsdp(0xe0010, 0);
  memory_[0xe0010 + 10] ^= 1;  // ACPI 1.0 checksum broken
  PutRsdp(0xe0100, 2);
  memory_[0xe0100 + 30] ^= 1;  // extended checksum broken
  EXPECT_EQ(ScanLegacyRsdp(View()), 0u);
  PutRsdp(0xfffc0, 2);
  EXPECT_EQ(ScanLegacyRsdp(View()), 0xfffc0u);
}

TEST_F(RsdpScanTest, RefusesAnExtendedLengthOutOfRange) {
  PutRsdp(0xe0000, 2);
  const uint32_t length = 1u << 20;
  std::memcpy(&memory_[0xe0000 + 20], &length, 4);
  EXPECT_FALSE(IsValidRsdp(View(), 0xe0000));
}

TEST_F(RsdpScanTest, NothingOutsideTheView) {
  const PhysicalView small(reinterpret_cast<uint64_t>(memory_.data()), 0x400);
  EXPECT_EQ(ScanLegacyRsdp(small), 0u);
}

}  // namespace
}  // namespace hiillos::loader
