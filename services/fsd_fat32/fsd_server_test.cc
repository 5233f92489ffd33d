// services/fsd_fat32/fsd_server_test.cc — fsd.fat32's request handling on mkfs.fat images, over
// the block protocol to a RAM disk: the operations, their errors, handles, and corrupt or
// unreadable volumes (reported once, then refused).
#include "services/fsd_fat32/fsd_server.h"

#include <string.h>

#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "lib/fat32/testing/image_tools.h"
#include "lib/fat32/testing/memory_device.h"
#include "services/fsd_fat32/block_client.h"
#include "services/ramdisk/ram_disk.h"

namespace hiillos::fsd {
namespace {

using fat32::testing::MakeImage;
using fat32::testing::ReadHostFile;

std::vector<fat32::Error> g_reports;

class DiskChannel final : public fs::Channel {
 public:
  explicit DiskChannel(ramdisk::RamDisk& disk) : disk_(disk) {}
  Result<uapi::IpcMessage, uapi::Status> Call(const uapi::IpcMessage& request) override {
    ++calls;
    return disk_.Handle(request);
  }
  int calls = 0;

 private:
  ramdisk::RamDisk& disk_;
};

struct Fixture {
  explicit Fixture(std::vector<uint8_t> bytes, size_t block_buffer = 64 * 1024, bool attach = true)
      : image(std::move(bytes)),
        disk(image.data(), image.size() / 512, false),
        block(block_buffer),
        attachment(attach ? disk.Attach(block.data(), block.size()) : 0),
        channel(disk),
        device(channel, block.data(), block.size(), attachment),
        shared(8192),
        server(device, clock, shared.data(), shared.size(), Report) {
    g_reports.clear();
  }
  static void Report(fat32::Error error) { g_reports.push_back(error); }

  uint64_t Put(const std::string& text, uint64_t at = 0) {
    memcpy(shared.data() + at, text.data(), text.size());
    return text.size();
  }
  uapi::IpcMessage Call(Op op, uint64_t w1 = 0, uint64_t w2 = 0, uint64_t w3 = 0, uint64_t w4 = 0) {
    return server.Handle(fs::Request(static_cast<uint64_t>(op), w1, w2, w3, w4));
  }
  vfs::Error PathCall(Op op, const std::string& path, uint64_t w3 = 0) {
    return static_cast<vfs::Error>(Call(op, 0, Put(path), w3).words[0]);
  }

  std::vector<uint8_t> image;
  ramdisk::RamDisk disk;
  std::vector<uint8_t> block;
  uint64_t attachment;  // the block session's attachment id (0: never attached)
  DiskChannel channel;
  BlockClient device;
  fat32::testing::FixedClock clock{1767225600};
  std::vector<uint8_t> shared;
  FsdServer server;
};

vfs::Error ErrorOf(const uapi::IpcMessage& reply) {
  return static_cast<vfs::Error>(reply.words[0]);
}

TEST(FsdServerTest, FilesAndDirectories) {
  Fixture f(ReadHostFile(MakeImage(40)));
  ASSERT_TRUE(f.device.Connect().ok());
  EXPECT_EQ(f.PathCall(Op::kMkdir, "/dir"), vfs::Error::kOk);
  EXPECT_TRUE(f.server.mounted());
  auto open = f.Call(Op::kOpen, 0, f.Put("/dir/file.txt"), vfs::kOpenCreate);
  ASSERT_EQ(ErrorOf(open), vfs::Error::kOk);
  const uint64_t handle = open.words[1];
  EXPECT_EQ(open.words[2], 0u);
  EXPECT_EQ(open.words[3], 0u);
  f.Put("hello, fat32", 4096);
  auto write = f.Call(Op::kWrite, handle, 100, 4096, 12);
  ASSERT_EQ(ErrorOf(write), vfs::Error::kOk);
  EXPECT_EQ(write.words[1], 12u);
  EXPECT_EQ(write.words[2], 112u);  // a gap of zeros before
  auto read = f.Call(Op::kRead, handle, 98, 0, 100);
  ASSERT_EQ(ErrorOf(read), vfs::Error::kOk);
  EXPECT_EQ(read.words[1], 14u);
  EXPECT_EQ(std::string(reinterpret_cast<char*>(f.shared.data()), 14),
            std::string("\0\0hello, fat32", 14));
  auto stat = f.Call(Op::kStat, 0, f.Put("/dir/file.txt"));
  ASSERT_EQ(ErrorOf(stat), vfs::Error::kOk);
  EXPECT_EQ(stat.words[1], 112u);
  EXPECT_EQ(stat.words[2], 0u);
  EXPECT_EQ(stat.words[3], 1767225600u);

  // Open files stay where they are.
  EXPECT_EQ(f.PathCall(Op::kUnlink, "/dir/file.txt"), vfs::Error::kBusy);
  const uint64_t from = f.Put("/dir/file.txt");
  const uint64_t to = f.Put("/moved.txt", from);
  EXPECT_EQ(ErrorOf(f.Call(Op::kRename, 0, from, from, to)), vfs::Error::kBusy);
  EXPECT_EQ(ErrorOf(f.Call(Op::kClose, handle)), vfs::Error::kOk);
  EXPECT_EQ(ErrorOf(f.Call(Op::kClose, handle)), vfs::Error::kBadHandle);
  f.Put("/dir/file.txt");
  f.Put("/moved.txt", from);
  EXPECT_EQ(ErrorOf(f.Call(Op::kRename, 0, from, from, to)), vfs::Error::kOk);

  // Listing by index.
  auto dir = f.Call(Op::kOpen, 0, f.Put("/"));
  ASSERT_EQ(ErrorOf(dir), vfs::Error::kOk);
  EXPECT_EQ(dir.words[3], 1u);
  std::vector<std::string> names;
  for (uint64_t i = 0;; ++i) {
    auto entry = f.Call(Op::kReadDir, dir.words[1], i, 0, 255);
    ASSERT_EQ(ErrorOf(entry), vfs::Error::kOk);
    if (entry.words[1] == 0) break;
    names.emplace_back(reinterpret_cast<char*>(f.shared.data()), entry.words[4]);
  }
  EXPECT_EQ(names, (std::vector<std::string>{"dir", "moved.txt"}));
  EXPECT_EQ(ErrorOf(f.Call(Op::kReadDir, dir.words[1], 1, 0, 3)), vfs::Error::kOutOfRange);
  EXPECT_EQ(ErrorOf(f.Call(Op::kRead, dir.words[1], 0, 0, 10)), vfs::Error::kIsADirectory);
  EXPECT_EQ(f.PathCall(Op::kUnlink, "/dir"), vfs::Error::kOk);
  EXPECT_EQ(f.PathCall(Op::kStat, "/dir"), vfs::Error::kNotFound);
  EXPECT_EQ(f.server.open_handles(), 1u);
}

TEST(FsdServerTest, RequestsAreChecked) {
  Fixture f(ReadHostFile(MakeImage(40)));
  ASSERT_TRUE(f.device.Connect().ok());
  const uint64_t huge = ~uint64_t{0};
  EXPECT_EQ(ErrorOf(f.Call(Op::kStat, huge - 1, 4)), vfs::Error::kOutOfRange);
  EXPECT_EQ(ErrorOf(f.Call(Op::kStat, 8190, 4)), vfs::Error::kOutOfRange);
  EXPECT_EQ(ErrorOf(f.Call(Op::kStat, 0, 0)), vfs::Error::kBadPath);
  EXPECT_EQ(ErrorOf(f.Call(Op::kStat, 0, 2000)), vfs::Error::kBadPath);  // > kMaxPathLength
  EXPECT_EQ(f.PathCall(Op::kStat, std::string("/a\0b", 4)), vfs::Error::kBadPath);
  EXPECT_EQ(f.PathCall(Op::kMkdir, "/a:b"), vfs::Error::kBadPath);
  EXPECT_EQ(f.PathCall(Op::kOpen, "/x", 8), vfs::Error::kBadRequest);
  EXPECT_EQ(f.PathCall(Op::kOpen, "/x"), vfs::Error::kNotFound);
  EXPECT_EQ(f.PathCall(Op::kOpen, "/x", vfs::kOpenCreate), vfs::Error::kOk);
  EXPECT_EQ(f.PathCall(Op::kOpen, "/x", vfs::kOpenCreate | vfs::kOpenExclusive),
            vfs::Error::kExists);
  EXPECT_EQ(ErrorOf(f.Call(Op::kRead, 0, 0, 8000, 1000)), vfs::Error::kOutOfRange);
  EXPECT_EQ(ErrorOf(f.Call(Op::kRead, 63, 0, 0, 1)), vfs::Error::kBadHandle);
  EXPECT_EQ(ErrorOf(f.Call(Op::kRead, huge, 0, 0, 1)), vfs::Error::kBadHandle);
  EXPECT_EQ(ErrorOf(f.Call(Op::kReadDir, 0, 0, 0, 10)), vfs::Error::kNotADirectory);
  EXPECT_EQ(ErrorOf(f.Call(static_cast<Op>(77))), vfs::Error::kBadRequest);
  // The handle table is bounded.
  for (size_t i = 1; i < kMaxHandles; ++i) ASSERT_EQ(f.PathCall(Op::kOpen, "/x"), vfs::Error::kOk);
  EXPECT_EQ(f.PathCall(Op::kOpen, "/x"), vfs::Error::kTooManyOpen);
}

TEST(FsdServerTest, CorruptVolumeIsReportedOnceAndRefused) {
  std::vector<uint8_t> image = ReadHostFile(MakeImage(40));
  image[11] = 0;
  image[12] = 3;  // 768 bytes per sector
  Fixture f(std::move(image));
  ASSERT_TRUE(f.device.Connect().ok());
  EXPECT_EQ(f.PathCall(Op::kStat, "/"), vfs::Error::kCorrupt);
  EXPECT_EQ(f.PathCall(Op::kOpen, "/x", vfs::kOpenCreate), vfs::Error::kCorrupt);
  EXPECT_FALSE(f.server.mounted());
  ASSERT_EQ(g_reports.size(), 1u);
  EXPECT_EQ(g_reports[0], fat32::Error::kBadBytesPerSector);
}

TEST(FsdServerTest, UnreadableDeviceIsAnIoError) {
  // The RAM disk never got the session's buffer: every read is NoBuffer.
  Fixture f(ReadHostFile(MakeImage(40)), 64 * 1024, /*attach=*/false);
  ASSERT_TRUE(f.device.Connect().ok());
  EXPECT_EQ(f.PathCall(Op::kStat, "/"), vfs::Error::kIoError);
  EXPECT_EQ(f.device.last_error(), block::Error::kNoBuffer);
  ASSERT_EQ(g_reports.size(), 1u);
  EXPECT_EQ(g_reports[0], fat32::Error::kIo);
}

TEST(FsdServerTest, BlockClientSplitsRequestsToItsBuffer) {
  // A two-sector block buffer: a 5000-byte write and read take several block requests each.
  Fixture f(ReadHostFile(MakeImage(40)), 1024);
  ASSERT_TRUE(f.device.Connect().ok());
  auto open = f.Call(Op::kOpen, 0, f.Put("/f"), vfs::kOpenCreate);
  ASSERT_EQ(ErrorOf(open), vfs::Error::kOk);
  for (size_t i = 0; i < 5000; ++i) f.shared[i] = static_cast<uint8_t>(i * 31);
  const std::vector<uint8_t> expected(f.shared.begin(), f.shared.begin() + 5000);
  ASSERT_EQ(ErrorOf(f.Call(Op::kWrite, open.words[1], 0, 0, 5000)), vfs::Error::kOk);
  memset(f.shared.data(), 0, 5000);
  const int before = f.channel.calls;
  auto read = f.Call(Op::kRead, open.words[1], 0, 0, 5000);
  ASSERT_EQ(ErrorOf(read), vfs::Error::kOk);
  EXPECT_EQ(read.words[1], 5000u);
  EXPECT_EQ(std::vector<uint8_t>(f.shared.begin(), f.shared.begin() + 5000), expected);
  EXPECT_GE(f.channel.calls - before, 5);
}

// The fs_restart_test flake: a dying client (the old fsd.fat32) and its successor share one
// Sender; the successor attached its buffer last. The old client's reads and writes are refused
// (it is lost) and the successor's buffer keeps what the successor read into it.
TEST(BlockClientTest, AReplacedClientCannotTouchItsSuccessorsBuffer) {
  std::vector<uint8_t> image(64 * 512);
  for (size_t i = 0; i < image.size(); ++i) image[i] = static_cast<uint8_t>(i * 13 + i / 512);
  ramdisk::RamDisk disk(image.data(), 64, false);
  DiskChannel channel(disk);
  std::vector<uint8_t> old_buffer(4096);
  std::vector<uint8_t> new_buffer(4096);
  const uint64_t old_id = disk.Attach(old_buffer.data(), old_buffer.size());
  BlockClient old_client(channel, old_buffer.data(), old_buffer.size(), old_id);
  ASSERT_TRUE(old_client.Connect().ok());
  uint8_t sectors[2 * 512];
  ASSERT_TRUE(old_client.Read(10, 2, sectors).ok());  // its session works until replaced
  EXPECT_EQ(0, memcmp(sectors, image.data() + 10 * 512, sizeof sectors));

  BlockClient new_client(channel, new_buffer.data(), new_buffer.size(),
                         disk.Attach(new_buffer.data(), new_buffer.size()));
  ASSERT_TRUE(new_client.Connect().ok());
  // The successor reads the boot sector; the driver put it at offset 0 of its buffer.
  ASSERT_TRUE(new_client.Read(0, 1, sectors).ok());
  const std::vector<uint8_t> new_before = new_buffer;
  const std::vector<uint8_t> image_before = image;
  EXPECT_FALSE(old_client.Read(20, 8, sectors).ok());
  EXPECT_EQ(old_client.last_error(), block::Error::kNoBuffer);
  EXPECT_TRUE(old_client.lost());
  EXPECT_EQ(new_buffer, new_before);
  EXPECT_EQ(0, memcmp(new_buffer.data(), image.data(), 512));
  // A write from the old client's buffer does not reach the disk either.
  BlockClient stale(channel, old_buffer.data(), old_buffer.size(), old_id);
  ASSERT_TRUE(stale.Connect().ok());
  memset(sectors, 0xEE, sizeof sectors);
  EXPECT_FALSE(stale.Write(0, 2, sectors).ok());
  EXPECT_EQ(image, image_before);
  // The successor carries on.
  ASSERT_TRUE(new_client.Read(30, 2, sectors).ok());
  EXPECT_EQ(0, memcmp(sectors, image.data() + 30 * 512, sizeof sectors));
  EXPECT_FALSE(new_client.lost());
}

TEST(BlockClientTest, RejectsNonsenseGeometry) {
  std::vector<uint8_t> image(4096);
  ramdisk::RamDisk disk(image.data(), 8, false);
  DiskChannel channel(disk);
  std::vector<uint8_t> small(100);  // not even one sector
  BlockClient client(channel, small.data(), small.size(), disk.Attach(small.data(), small.size()));
  auto connected = client.Connect();
  ASSERT_FALSE(connected.ok());
  EXPECT_EQ(connected.error(), block::Error::kDeviceError);
  uint8_t sector[512];
  EXPECT_FALSE(client.Read(0, 1, sector).ok());
}

}  // namespace
}  // namespace hiillos::fsd
