// services/ramdisk/ram_disk_test.cc — the block protocol's request checks on the RAM disk: info,
// reads and writes, and every rejected request (no buffer, zero count, misaligned offset,
// sectors or bytes out of range including overflowing values, read-only, unknown op).
#include "services/ramdisk/ram_disk.h"

#include <stdint.h>
#include <string.h>

#include <vector>

#include "gtest/gtest.h"

namespace hiillos::ramdisk {
namespace {

constexpr uint64_t kSectors = 64;

uapi::IpcMessage Request(block::Op op, uint64_t w1 = 0, uint64_t w2 = 0, uint64_t w3 = 0) {
  uapi::IpcMessage message;
  message.words[0] = static_cast<uint64_t>(op);
  message.words[1] = w1;
  message.words[2] = w2;
  message.words[3] = w3;
  return message;
}

block::Error ErrorOf(const uapi::IpcMessage& reply) {
  return static_cast<block::Error>(reply.words[0]);
}

class RamDiskTest : public ::testing::Test {
 protected:
  RamDiskTest() : disk_(kSectors * 512), buffer_(8 * 512) {
    for (size_t i = 0; i < disk_.size(); ++i) disk_[i] = static_cast<uint8_t>(i * 7 + i / 512);
  }
  void AttachAll() { server_.Attach(buffer_.data(), buffer_.size()); }

  std::vector<uint8_t> disk_;
  std::vector<uint8_t> buffer_;
  RamDisk server_{disk_.data(), kSectors, false};
};

TEST_F(RamDiskTest, InfoDescribesTheDisk) {
  const uapi::IpcMessage reply = server_.Handle(Request(block::Op::kInfo));
  EXPECT_EQ(ErrorOf(reply), block::Error::kOk);
  EXPECT_EQ(reply.words[1], 512u);
  EXPECT_EQ(reply.words[2], kSectors);
  EXPECT_EQ(reply.words[3], block::kFlagFlushSupported);
  EXPECT_EQ(reply.words[4], kMaxSectorsPerRequest);
}

TEST_F(RamDiskTest, ReadsAndWritesWholeSectorsAtBufferOffsets) {
  AttachAll();
  ASSERT_EQ(ErrorOf(server_.Handle(Request(block::Op::kRead, 10, 2, 1024))), block::Error::kOk);
  EXPECT_EQ(0, memcmp(buffer_.data() + 1024, disk_.data() + 10 * 512, 1024));
  for (size_t i = 0; i < 512; ++i) buffer_[i] = static_cast<uint8_t>(0xA5 ^ i);
  ASSERT_EQ(ErrorOf(server_.Handle(Request(block::Op::kWrite, kSectors - 1, 1, 0))),
            block::Error::kOk);
  EXPECT_EQ(0, memcmp(disk_.data() + (kSectors - 1) * 512, buffer_.data(), 512));
  EXPECT_EQ(ErrorOf(server_.Handle(Request(block::Op::kFlush))), block::Error::kOk);
}

TEST_F(RamDiskTest, TransfersBeforeAttachAreNoBuffer) {
  EXPECT_EQ(ErrorOf(server_.Handle(Request(block::Op::kRead, 0, 1, 0))), block::Error::kNoBuffer);
  EXPECT_EQ(ErrorOf(server_.Handle(Request(block::Op::kWrite, 0, 1, 0))), block::Error::kNoBuffer);
}

TEST_F(RamDiskTest, MalformedRequestsAreBadRequest) {
  AttachAll();
  EXPECT_EQ(ErrorOf(server_.Handle(Request(block::Op::kRead, 0, 0, 0))),
            block::Error::kBadRequest);  // zero count
  EXPECT_EQ(ErrorOf(server_.Handle(Request(block::Op::kRead, 0, 1, 100))),
            block::Error::kBadRequest);  // misaligned offset
  EXPECT_EQ(ErrorOf(server_.Handle(Request(block::Op::kRead, 0, kMaxSectorsPerRequest + 1, 0))),
            block::Error::kBadRequest);  // above the advertised limit
  EXPECT_EQ(ErrorOf(server_.Handle(Request(block::Op::kAttachBuffer))),
            block::Error::kBadRequest);  // the capability is main.cc's business
  uapi::IpcMessage unknown;
  unknown.words[0] = 99;
  EXPECT_EQ(ErrorOf(server_.Handle(unknown)), block::Error::kBadRequest);
}

TEST_F(RamDiskTest, RangesAreOverflowChecked) {
  AttachAll();
  const uint64_t huge = ~uint64_t{0};
  // Sectors past the end, at the end, and wrapping around.
  EXPECT_EQ(ErrorOf(server_.Handle(Request(block::Op::kRead, kSectors, 1, 0))),
            block::Error::kOutOfRange);
  EXPECT_EQ(ErrorOf(server_.Handle(Request(block::Op::kRead, kSectors - 1, 2, 0))),
            block::Error::kOutOfRange);
  EXPECT_EQ(ErrorOf(server_.Handle(Request(block::Op::kRead, huge, 2, 0))),
            block::Error::kOutOfRange);
  EXPECT_EQ(ErrorOf(server_.Handle(Request(block::Op::kWrite, huge - 1, 2, 0))),
            block::Error::kOutOfRange);
  // Bytes past the buffer, and an offset that wraps when the length is added.
  EXPECT_EQ(ErrorOf(server_.Handle(Request(block::Op::kRead, 0, 9, 0))), block::Error::kOutOfRange);
  EXPECT_EQ(ErrorOf(server_.Handle(Request(block::Op::kRead, 0, 1, buffer_.size()))),
            block::Error::kOutOfRange);
  EXPECT_EQ(ErrorOf(server_.Handle(Request(block::Op::kRead, 0, 2, buffer_.size() - 512))),
            block::Error::kOutOfRange);
  EXPECT_EQ(ErrorOf(server_.Handle(Request(block::Op::kRead, 0, 1, huge - 511))),
            block::Error::kOutOfRange);
  // The last sector into the last buffer slot is fine.
  EXPECT_EQ(
      ErrorOf(server_.Handle(Request(block::Op::kRead, kSectors - 1, 1, buffer_.size() - 512))),
      block::Error::kOk);
}

TEST_F(RamDiskTest, ReadOnlyDisksRefuseWrites) {
  RamDisk read_only(disk_.data(), kSectors, true);
  read_only.Attach(buffer_.data(), buffer_.size());
  EXPECT_EQ(read_only.Handle(Request(block::Op::kInfo)).words[3] & block::kFlagReadOnly,
            block::kFlagReadOnly);
  const std::vector<uint8_t> before = disk_;
  EXPECT_EQ(ErrorOf(read_only.Handle(Request(block::Op::kWrite, 0, 1, 0))),
            block::Error::kReadOnly);
  EXPECT_EQ(disk_, before);
  EXPECT_EQ(ErrorOf(read_only.Handle(Request(block::Op::kRead, 0, 1, 0))), block::Error::kOk);
}

TEST_F(RamDiskTest, DetachingStopsTransfers) {
  AttachAll();
  server_.Attach(nullptr, 4096);
  EXPECT_EQ(ErrorOf(server_.Handle(Request(block::Op::kRead, 0, 1, 0))), block::Error::kNoBuffer);
}

}  // namespace
}  // namespace hiillos::ramdisk
