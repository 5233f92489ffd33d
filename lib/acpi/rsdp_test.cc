// lib/acpi/rsdp_test.cc — RSDP parsing: revisions, both checksums, lengths, reads.
#include "lib/acpi/rsdp.h"

#include <gtest/gtest.h>

#include "lib/acpi/test_tables.h"

namespace hiillos::acpi {
namespace {

using testing::Bytes;
using testing::FakeMemory;
using testing::FixChecksum;
using testing::MakeRsdp;

Result<Rsdp, Error> Parse(const Bytes& b, Options options = {}) {
  return ParseRsdp(ByteView(b.data(), b.size()), options);
}

TEST(Rsdp, Revision0UsesRsdt) {
  Bytes b = MakeRsdp(0, 0x1234, 0);
  ASSERT_EQ(b.size(), 20u);
  auto r = Parse(b);
  ASSERT_TRUE(r.ok()) << ErrorString(r.error());
  EXPECT_EQ(r.value().revision, 0);
  EXPECT_EQ(r.value().rsdt_address, 0x1234u);
  EXPECT_FALSE(r.value().UsesXsdt());
  EXPECT_EQ(r.value().RootTableAddress(), 0x1234u);
  EXPECT_EQ(memcmp(r.value().oem_id, "HIILOS", 6), 0);
}

TEST(Rsdp, Revision2PrefersXsdt) {
  auto r = Parse(MakeRsdp(2, 0x1000, 0x1'0000'2000));
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r.value().UsesXsdt());
  EXPECT_EQ(r.value().xsdt_address, 0x1'0000'2000u);
  EXPECT_EQ(r.value().RootTableAddress(), 0x1'0000'2000u);
  EXPECT_EQ(r.value().length, 36u);
}

TEST(Rsdp, Revision2WithZeroXsdtFallsBackToRsdt) {
  auto r = Parse(MakeRsdp(2, 0x1000, 0));
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r.value().UsesXsdt());
  EXPECT_EQ(r.value().RootTableAddress(), 0x1000u);
}

TEST(Rsdp, BadSignature) {
  Bytes b = MakeRsdp(2, 0x1000, 0x2000);
  b[0] = 'X';
  FixChecksum(b, 8, 20);
  FixChecksum(b, 32, 36);
  EXPECT_EQ(Parse(b).error(), Error::kBadSignature);
}

TEST(Rsdp, BadFirstChecksum) {
  Bytes b = MakeRsdp(0, 0x1000, 0);
  b[8] ^= 1;
  EXPECT_EQ(Parse(b).error(), Error::kBadChecksum);
  Options lax;
  lax.verify_checksums = false;
  EXPECT_TRUE(Parse(b, lax).ok());
}

TEST(Rsdp, BadExtendedChecksum) {
  Bytes b = MakeRsdp(2, 0x1000, 0x2000);
  b[32] ^= 1;  // the first 20 bytes are still fine
  EXPECT_EQ(Parse(b).error(), Error::kBadChecksum);
}

TEST(Rsdp, ExtendedChecksumCoversXsdtAddress) {
  Bytes b = MakeRsdp(2, 0x1000, 0x2000);
  b[24] ^= 0x10;  // corrupt the XSDT address only
  EXPECT_EQ(Parse(b).error(), Error::kBadChecksum);
}

TEST(Rsdp, LengthTooSmall) {
  Bytes b = MakeRsdp(2, 0x1000, 0x2000);
  b[20] = 35;
  FixChecksum(b, 32, 36);
  EXPECT_EQ(Parse(b).error(), Error::kBadLength);
}

TEST(Rsdp, LengthTooLarge) {
  Bytes b = MakeRsdp(2, 0x1000, 0x2000);
  b[20] = 0;
  b[21] = 0;
  b[22] = 0;
  b[23] = 0x80;  // 2 GiB
  FixChecksum(b, 32, 36);
  EXPECT_EQ(Parse(b).error(), Error::kTableTooLarge);
}

TEST(Rsdp, LengthPastBuffer) {
  Bytes b = MakeRsdp(2, 0x1000, 0x2000);
  b[20] = 40;  // 4 bytes more than the buffer holds
  EXPECT_EQ(Parse(b).error(), Error::kOutOfBounds);
}

TEST(Rsdp, TruncatedBuffers) {
  Bytes b = MakeRsdp(2, 0x1000, 0x2000);
  for (size_t n = 0; n < b.size(); ++n) {
    Bytes cut(b.begin(), b.begin() + n);
    EXPECT_FALSE(Parse(cut).ok()) << n;
  }
}

TEST(Rsdp, ReadFromMemory) {
  FakeMemory memory(0x100);
  memory.Place(0x40, MakeRsdp(2, 0x1000, 0x2000));
  auto r = ReadRsdp(memory.Reader(), 0x40);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.value().xsdt_address, 0x2000u);
}

TEST(Rsdp, ReadV1AtEndOfMemoryReadsOnly20Bytes) {
  FakeMemory memory(0x100);
  memory.Place(0x100 - 20, MakeRsdp(0, 0x1000, 0));
  auto r = ReadRsdp(memory.Reader(), 0x100 - 20);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(memory.max_read_length(), 20u);
}

TEST(Rsdp, ReadPastEndOfMemory) {
  FakeMemory memory(0x100);
  EXPECT_EQ(ReadRsdp(memory.Reader(), 0xf0).error(), Error::kReadFailed);
  EXPECT_EQ(ReadRsdp(memory.Reader(), ~uint64_t{0} - 4).error(), Error::kReadFailed);
  // A revision-2 RSDP whose extension runs off the end of memory.
  Bytes b = MakeRsdp(2, 0x1000, 0x2000);
  memory.Place(0x100 - 20, Bytes(b.begin(), b.begin() + 20));
  EXPECT_EQ(ReadRsdp(memory.Reader(), 0x100 - 20).error(), Error::kReadFailed);
}

TEST(Rsdp, ReadHugeLengthNeverReachesReader) {
  FakeMemory memory(0x100);
  Bytes b = MakeRsdp(2, 0x1000, 0x2000);
  b[23] = 0x80;
  FixChecksum(b, 32, 36);
  memory.Place(0, b);
  EXPECT_EQ(ReadRsdp(memory.Reader(), 0).error(), Error::kTableTooLarge);
  EXPECT_LE(memory.max_read_length(), 36u);
}

TEST(Rsdp, ReaderReturningShortViewIsRejected) {
  static uint8_t buffer[64];
  PhysReader liar(
      [](void*, uint64_t, uint64_t) -> Result<ByteView, Error> { return ByteView(buffer, 4); },
      nullptr);
  EXPECT_EQ(ReadRsdp(liar, 0).error(), Error::kReadFailed);
  PhysReader null_reader(nullptr, nullptr);
  EXPECT_EQ(ReadRsdp(null_reader, 0).error(), Error::kReadFailed);
}

}  // namespace
}  // namespace hiillos::acpi
