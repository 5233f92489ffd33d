// services/ramdisk/ram_disk_test.cc — the block protocol's request checks on the RAM disk: info,
// reads and writes, and every rejected request (no buffer, a stale attachment id, zero count,
// misaligned offset, sectors or bytes out of range including overflowing values, read-only,
// unknown op), and attachment ids that never repeat.
#include "services/ramdisk/ram_disk.h"

#include <stdint.h>
#include <string.h>

#include <algorithm>
#include <vector>

#include "gtest/gtest.h"

namespace hiillos::ramdisk {
namespace {

constexpr uint64_t kSectors = 64;

uapi::IpcMessage Request(block::Op op, uint64_t w1 = 0, uint64_t w2 = 0, uint64_t w3 = 0,
                         uint64_t w4 = 0) {
  uapi::IpcMessage message;
  message.words[0] = static_cast<uint64_t>(op);
  message.words[1] = w1;
  message.words[2] = w2;
  message.words[3] = w3;
  message.words[4] = w4;
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
  void AttachAll() { attachment_ = server_.Attach(buffer_.data(), buffer_.size()); }
  // A read or write naming the current attachment.
  uapi::IpcMessage Io(block::Op op, uint64_t first, uint64_t count, uint64_t offset) {
    return Request(op, first, count, offset, attachment_);
  }

  std::vector<uint8_t> disk_;
  std::vector<uint8_t> buffer_;
  RamDisk server_{disk_.data(), kSectors, false};
  uint64_t attachment_ = 0;
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
  ASSERT_EQ(ErrorOf(server_.Handle(Io(block::Op::kRead, 10, 2, 1024))), block::Error::kOk);
  EXPECT_EQ(0, memcmp(buffer_.data() + 1024, disk_.data() + 10 * 512, 1024));
  for (size_t i = 0; i < 512; ++i) buffer_[i] = static_cast<uint8_t>(0xA5 ^ i);
  ASSERT_EQ(ErrorOf(server_.Handle(Io(block::Op::kWrite, kSectors - 1, 1, 0))), block::Error::kOk);
  EXPECT_EQ(0, memcmp(disk_.data() + (kSectors - 1) * 512, buffer_.data(), 512));
  EXPECT_EQ(ErrorOf(server_.Handle(Request(block::Op::kFlush))), block::Error::kOk);
}

TEST_F(RamDiskTest, TransfersBeforeAttachAreNoBuffer) {
  for (uint64_t id : {uint64_t{0}, uint64_t{1}}) {
    EXPECT_EQ(ErrorOf(server_.Handle(Request(block::Op::kRead, 0, 1, 0, id))),
              block::Error::kNoBuffer);
    EXPECT_EQ(ErrorOf(server_.Handle(Request(block::Op::kWrite, 0, 1, 0, id))),
              block::Error::kNoBuffer);
  }
}

TEST_F(RamDiskTest, AttachmentIdsAreNeverZeroAndNeverRepeat) {
  std::vector<uint64_t> seen;
  for (int i = 0; i < 100; ++i) {
    const uint64_t id = server_.Attach(buffer_.data(), buffer_.size());
    EXPECT_NE(id, 0u);
    EXPECT_EQ(std::count(seen.begin(), seen.end(), id), 0) << "id " << id << " repeated";
    seen.push_back(id);
    if (i % 10 == 0) EXPECT_EQ(server_.Attach(nullptr, 0), 0u);  // detaching names nothing
  }
}

TEST_F(RamDiskTest, AttachmentIdsStartWhereTheDriverSaysAndSkipZero) {
  server_.checks().StartAttachmentIdsAt(1000);
  EXPECT_EQ(server_.Attach(buffer_.data(), buffer_.size()), 1000u);
  EXPECT_EQ(server_.Attach(buffer_.data(), buffer_.size()), 1001u);
  server_.checks().StartAttachmentIdsAt(~uint64_t{0});
  EXPECT_EQ(server_.Attach(buffer_.data(), buffer_.size()), ~uint64_t{0});
  EXPECT_EQ(server_.Attach(buffer_.data(), buffer_.size()), 1u);  // wrapped past 0
}

// A client whose buffer was replaced by another client's (the last kAttachBuffer wins) names a
// stale id: its reads and writes get kNoBuffer and neither buffer nor disk changes.
TEST_F(RamDiskTest, AStaleAttachmentIsRefusedAndTouchesNoBuffer) {
  std::vector<uint8_t> old_buffer(8 * 512, 0x11);
  const uint64_t old_id = server_.Attach(old_buffer.data(), old_buffer.size());
  AttachAll();  // the successor
  ASSERT_NE(old_id, attachment_);
  for (size_t i = 0; i < buffer_.size(); ++i) buffer_[i] = static_cast<uint8_t>(0x5A ^ i);
  const std::vector<uint8_t> successor = buffer_;
  const std::vector<uint8_t> disk_before = disk_;
  const std::vector<uint8_t> old_before = old_buffer;
  EXPECT_EQ(ErrorOf(server_.Handle(Request(block::Op::kRead, 0, 8, 0, old_id))),
            block::Error::kNoBuffer);
  EXPECT_EQ(ErrorOf(server_.Handle(Request(block::Op::kWrite, 0, 8, 0, old_id))),
            block::Error::kNoBuffer);
  EXPECT_EQ(ErrorOf(server_.Handle(Request(block::Op::kRead, 0, 1, 0, attachment_ + 1))),
            block::Error::kNoBuffer);  // an id not handed out yet
  EXPECT_EQ(buffer_, successor);
  EXPECT_EQ(disk_, disk_before);
  EXPECT_EQ(old_buffer, old_before);
  // The current id works.
  ASSERT_EQ(ErrorOf(server_.Handle(Io(block::Op::kRead, 0, 8, 0))), block::Error::kOk);
  EXPECT_EQ(0, memcmp(buffer_.data(), disk_.data(), buffer_.size()));
  // kInfo and kFlush name no attachment.
  EXPECT_EQ(ErrorOf(server_.Handle(Request(block::Op::kInfo))), block::Error::kOk);
  EXPECT_EQ(ErrorOf(server_.Handle(Request(block::Op::kFlush))), block::Error::kOk);
}

TEST_F(RamDiskTest, MalformedRequestsAreBadRequest) {
  AttachAll();
  EXPECT_EQ(ErrorOf(server_.Handle(Io(block::Op::kRead, 0, 0, 0))),
            block::Error::kBadRequest);  // zero count
  EXPECT_EQ(ErrorOf(server_.Handle(Io(block::Op::kRead, 0, 1, 100))),
            block::Error::kBadRequest);  // misaligned offset
  EXPECT_EQ(ErrorOf(server_.Handle(Io(block::Op::kRead, 0, kMaxSectorsPerRequest + 1, 0))),
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
  EXPECT_EQ(ErrorOf(server_.Handle(Io(block::Op::kRead, kSectors, 1, 0))),
            block::Error::kOutOfRange);
  EXPECT_EQ(ErrorOf(server_.Handle(Io(block::Op::kRead, kSectors - 1, 2, 0))),
            block::Error::kOutOfRange);
  EXPECT_EQ(ErrorOf(server_.Handle(Io(block::Op::kRead, huge, 2, 0))), block::Error::kOutOfRange);
  EXPECT_EQ(ErrorOf(server_.Handle(Io(block::Op::kWrite, huge - 1, 2, 0))),
            block::Error::kOutOfRange);
  // Bytes past the buffer, and an offset that wraps when the length is added.
  EXPECT_EQ(ErrorOf(server_.Handle(Io(block::Op::kRead, 0, 9, 0))), block::Error::kOutOfRange);
  EXPECT_EQ(ErrorOf(server_.Handle(Io(block::Op::kRead, 0, 1, buffer_.size()))),
            block::Error::kOutOfRange);
  EXPECT_EQ(ErrorOf(server_.Handle(Io(block::Op::kRead, 0, 2, buffer_.size() - 512))),
            block::Error::kOutOfRange);
  EXPECT_EQ(ErrorOf(server_.Handle(Io(block::Op::kRead, 0, 1, huge - 511))),
            block::Error::kOutOfRange);
  // The last sector into the last buffer slot is fine.
  EXPECT_EQ(ErrorOf(server_.Handle(Io(block::Op::kRead, kSectors - 1, 1, buffer_.size() - 512))),
            block::Error::kOk);
}

TEST_F(RamDiskTest, ReadOnlyDisksRefuseWrites) {
  RamDisk read_only(disk_.data(), kSectors, true);
  const uint64_t attachment = read_only.Attach(buffer_.data(), buffer_.size());
  EXPECT_EQ(read_only.Handle(Request(block::Op::kInfo)).words[3] & block::kFlagReadOnly,
            block::kFlagReadOnly);
  const std::vector<uint8_t> before = disk_;
  EXPECT_EQ(ErrorOf(read_only.Handle(Request(block::Op::kWrite, 0, 1, 0, attachment))),
            block::Error::kReadOnly);
  EXPECT_EQ(disk_, before);
  EXPECT_EQ(ErrorOf(read_only.Handle(Request(block::Op::kRead, 0, 1, 0, attachment))),
            block::Error::kOk);
}

TEST_F(RamDiskTest, DetachingStopsTransfers) {
  AttachAll();
  server_.Attach(nullptr, 4096);
  EXPECT_EQ(ErrorOf(server_.Handle(Io(block::Op::kRead, 0, 1, 0))), block::Error::kNoBuffer);
}

}  // namespace
}  // namespace hiillos::ramdisk
