// services/vfsd/fs_stack_test.cc — the file-system stack on the host: vfs::Client -> Vfs ->
// FsdServer -> BlockClient -> RamDisk, each joined by a Channel that calls the next server's
// logic directly (the guest joins them with IPC). Runs the guest test's sequence
// (testing/fs/sequence.h) on an image made by mkfs.fat, next to a mount whose image is corrupt,
// then checks the image with fsck.fat and reads the files back with mtools.
#include <stdint.h>
#include <string.h>

#include <algorithm>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "lib/fat32/testing/image_tools.h"
#include "lib/fat32/testing/memory_device.h"
#include "lib/ustar/test_archive.h"
#include "services/fsd_fat32/block_client.h"
#include "services/fsd_fat32/fsd_server.h"
#include "services/ramdisk/ram_disk.h"
#include "services/vfsd/client.h"
#include "services/vfsd/initfs_driver.h"
#include "services/vfsd/vfs.h"
#include "testing/fs/sequence.h"

namespace hiillos {
namespace {

using fat32::testing::CopyOut;
using fat32::testing::Fsck;
using fat32::testing::MakeImage;
using fat32::testing::ReadHostFile;
using fat32::testing::WriteHostFile;

constexpr uint64_t kBufferSize = 64 * 1024;

template <typename Handler>
class DirectChannel final : public fs::Channel {
 public:
  explicit DirectChannel(Handler handler) : handler_(handler) {}
  Result<uapi::IpcMessage, uapi::Status> Call(const uapi::IpcMessage& request) override {
    return handler_(request);
  }

 private:
  Handler handler_;
};

std::vector<std::string> g_mount_reports;

// One running driver: RAM disk server, block session, fsd.fat32 logic.
struct Driver {
  explicit Driver(std::vector<uint8_t>& image)
      : disk(image.data(), image.size() / 512, false),
        block_buffer(kBufferSize),
        fsd_buffer(kBufferSize),
        block_channel([this](const uapi::IpcMessage& m) -> Result<uapi::IpcMessage, uapi::Status> {
          if (block_dead) return Err(uapi::Status::kDead);
          return disk.Handle(m);
        }),
        device(block_channel, block_buffer.data(), block_buffer.size(),
               disk.Attach(block_buffer.data(), block_buffer.size())),
        clock(1767225600),
        server(device, clock, fsd_buffer.data(), fsd_buffer.size(), Report),
        channel([this](const uapi::IpcMessage& m) -> Result<uapi::IpcMessage, uapi::Status> {
          if (m.words[0] == static_cast<uint64_t>(fsd::Op::kShutdown)) {
            shut_down = true;
            return fs::Request(0);
          }
          if (shut_down) return Err(uapi::Status::kDead);
          // As fsd.fat32's main.cc: a lost block session answers kDriverUnavailable (and the
          // process exits: here the channel is Dead from then on).
          uapi::IpcMessage reply = server.Handle(m);
          if (device.lost()) {
            shut_down = true;
            return fs::Request(uint64_t(vfs::Error::kDriverUnavailable));
          }
          return reply;
        }) {}
  static void Report(fat32::Error error) { g_mount_reports.push_back(fat32::ErrorName(error)); }

  using Handler = std::function<Result<uapi::IpcMessage, uapi::Status>(const uapi::IpcMessage&)>;
  ramdisk::RamDisk disk;
  std::vector<uint8_t> block_buffer;
  std::vector<uint8_t> fsd_buffer;
  DirectChannel<Handler> block_channel;
  fsd::BlockClient device;
  fat32::testing::FixedClock clock;
  fsd::FsdServer server;
  DirectChannel<Handler> channel;
  bool shut_down = false;
  bool block_dead = false;  // the block driver "died": its calls fail with Dead
};

class InProcessHost final : public vfsd::DriverHost {
 public:
  std::map<std::string, std::vector<uint8_t>> images;
  std::map<uint32_t, std::unique_ptr<Driver>> running;
  int starts = 0;

  vfsd::InitfsDriver* initfs = nullptr;

  bool Knows(const char* device, const char* type) override {
    if (std::string(type) == "initfs") return initfs != nullptr && std::string(device) == "initfs";
    return std::string(type) == "fat32" && images.count(device) != 0;
  }
  Result<vfsd::DriverPort, vfs::Error> Start(uint32_t mount, const char* device,
                                             const char* type) override {
    if (!Knows(device, type)) return Err(vfs::Error::kNoDevice);
    if (std::string(type) == "initfs") {
      return vfsd::DriverPort{initfs, initfs->buffer(), initfs->buffer_size()};
    }
    auto driver = std::make_unique<Driver>(images[device]);
    if (!driver->device.Connect().ok()) return Err(vfs::Error::kDriverUnavailable);
    ++starts;
    vfsd::DriverPort port{&driver->channel, driver->fsd_buffer.data(), driver->fsd_buffer.size()};
    running[mount] = std::move(driver);
    return port;
  }
  void Stop(uint32_t mount) override { running.erase(mount); }
  void Kill(uint32_t mount) override { running[mount]->shut_down = true; }
};

class GtestReporter final : public fstest::Reporter {
 public:
  void Check(bool ok, const char* what) override {
    EXPECT_TRUE(ok) << what;
    ++(ok ? passed : failed);
  }
  void Note(const char*, uint64_t) override {}
  int passed = 0;
  int failed = 0;
};

struct Stack {
  InProcessHost host;
  vfsd::Vfs vfs{host};
  std::vector<uint8_t> client_buffer = std::vector<uint8_t>(kBufferSize);
  DirectChannel<Driver::Handler> channel{
      [this](const uapi::IpcMessage& m) -> Result<uapi::IpcMessage, uapi::Status> {
        return vfs.Handle(0, m);
      }};
  vfs::Client client{channel, client_buffer.data(), client_buffer.size()};

  Stack() { vfs.Attach(0, client_buffer.data(), client_buffer.size()); }
};

TEST(FsStackTest, GuestSequenceLeavesAConsistentImage) {
  const std::string path = MakeImage(40);
  Stack stack;
  stack.host.images["ram0"] = ReadHostFile(path);
  // A second volume whose boot sector lost its signature.
  std::vector<uint8_t> corrupt = ReadHostFile(MakeImage(40));
  corrupt[510] = 0;
  corrupt[511] = 0;
  stack.host.images["ram1"] = corrupt;

  const char fstab_text[] = "# test fstab\nram1 /bad fat32 rw\n";
  auto fstab = vfsd::Fstab::Parse(fstab_text, sizeof(fstab_text) - 1);
  ASSERT_TRUE(fstab.ok());
  const char cmdline[] = "hiillos.test=user root=ram0";
  ASSERT_TRUE(fstab.value().ApplyCommandLine(cmdline, sizeof(cmdline) - 1));
  stack.vfs.MountAll(fstab.value());
  EXPECT_EQ(stack.host.starts, 0) << "drivers start on first use";

  g_mount_reports.clear();
  GtestReporter reporter;
  fstest::RunSequence(stack.client, fstest::SequenceOptions{"ram0 fat32", "/bad"}, reporter);
  EXPECT_EQ(reporter.failed, 0);
  EXPECT_GT(reporter.passed, 60);
  ASSERT_EQ(g_mount_reports.size(), 1u);
  EXPECT_EQ(g_mount_reports[0], fat32::ErrorName(fat32::Error::kBadBootSignature));
  EXPECT_EQ(stack.vfs.open_count(), 0u);

  // The image as the driver left it: fsck.fat finds nothing, mtools reads the same files.
  ASSERT_EQ(stack.vfs.Unmount("/", 1), vfs::Error::kOk);
  WriteHostFile(path, stack.host.images["ram0"]);
  const auto fsck = Fsck(path);
  EXPECT_EQ(fsck.status, 0) << fsck.output;
  const std::vector<uint8_t> big = CopyOut(path, "/big.bin");
  ASSERT_EQ(big.size(), fstest::kBigFileSize);
  size_t mismatches = 0;
  for (size_t i = 0; i < big.size(); ++i) mismatches += big[i] != fstest::FinalBigFileByte(i);
  EXPECT_EQ(mismatches, 0u);
  const std::vector<uint8_t> leaf = CopyOut(path, "/tree/d/leaf renamed with a long name.txt");
  EXPECT_EQ(std::string(leaf.begin(), leaf.end()), fstest::kLeafText);
  for (const char* name : fstest::kFinalManyFiles) {
    const std::string full = std::string("/tree/many/") + name;
    const std::vector<uint8_t> bytes = CopyOut(path, full);
    EXPECT_EQ(std::string(bytes.begin(), bytes.end()), full);
  }
}

TEST(FsStackTest, DriverThatDiesIsRestartedOnNextUse) {
  Stack stack;
  stack.host.images["ram0"] = ReadHostFile(MakeImage(40));
  ASSERT_EQ(stack.vfs.Mount("/", 1, "ram0", "fat32"), vfs::Error::kOk);
  auto file = stack.client.Open("/f", vfs::kOpenCreate);
  ASSERT_TRUE(file.ok());
  EXPECT_EQ(stack.host.starts, 1);
  stack.host.running[0]->shut_down = true;  // the driver "dies": its channel reports Dead
  auto write = stack.client.Write(file.value().handle, reinterpret_cast<const uint8_t*>("x"), 1);
  ASSERT_FALSE(write.ok());
  EXPECT_EQ(write.error(), vfs::Error::kDriverUnavailable);
  // Its handles died with it; the next request starts a new driver.
  EXPECT_FALSE(stack.client.Close(file.value().handle).ok());
  EXPECT_TRUE(stack.client.Stat("/f").ok());
  EXPECT_EQ(stack.host.starts, 2);
}

TEST(FsStackTest, RequestsAreCheckedAgainstTheSessionBuffer) {
  Stack stack;
  stack.host.images["ram0"] = ReadHostFile(MakeImage(40));
  ASSERT_EQ(stack.vfs.Mount("/", 1, "ram0", "fat32"), vfs::Error::kOk);
  const uint64_t huge = ~uint64_t{0};
  auto reply = stack.vfs.Handle(0, fs::Request(uint64_t(vfs::Op::kStat), huge - 2, 5));
  EXPECT_EQ(reply.words[0], uint64_t(vfs::Error::kOutOfRange));
  reply = stack.vfs.Handle(0, fs::Request(uint64_t(vfs::Op::kStat), kBufferSize, 1));
  EXPECT_EQ(reply.words[0], uint64_t(vfs::Error::kOutOfRange));
  reply = stack.vfs.Handle(1, fs::Request(uint64_t(vfs::Op::kStat), 0, 1));
  EXPECT_EQ(reply.words[0], uint64_t(vfs::Error::kNoBuffer));
  reply = stack.vfs.Handle(0, fs::Request(99));
  EXPECT_EQ(reply.words[0], uint64_t(vfs::Error::kBadRequest));
  // Another session's handle is not ours.
  auto file = stack.client.Open("/g", vfs::kOpenCreate);
  ASSERT_TRUE(file.ok());
  std::vector<uint8_t> other(4096);
  stack.vfs.Attach(1, other.data(), other.size());
  reply = stack.vfs.Handle(1, fs::Request(uint64_t(vfs::Op::kRead), file.value().handle, 0, 1));
  EXPECT_EQ(reply.words[0], uint64_t(vfs::Error::kBadHandle));
  // Ending a session closes its handles.
  stack.vfs.EndSession(0);
  EXPECT_EQ(stack.vfs.open_count(), 0u);
}

TEST(FsStackTest, InitfsIsReachableReadOnlyThroughVfs) {
  const std::vector<uint8_t> archive_bytes = ustar::testing::BuildArchive({
      {"etc/fstab", ustar::EntryType::kRegular, "ram0 / fat32\n", "", 0644},
      {"sbin/vfsd", ustar::EntryType::kRegular, std::string(70000, 'v'), "", 0755},
  });
  auto archive = ustar::Archive::Open(archive_bytes.data(), archive_bytes.size());
  ASSERT_TRUE(archive.ok());
  std::vector<uint8_t> driver_buffer(4096);
  vfsd::InitfsDriver driver(archive.value(), driver_buffer.data(), driver_buffer.size());
  Stack stack;
  stack.host.initfs = &driver;
  stack.host.images["ram0"] = ReadHostFile(MakeImage(40));
  EXPECT_EQ(stack.vfs.Mount("initfs:///", 10, "ram0", "fat32"), vfs::Error::kNoDevice);
  EXPECT_EQ(stack.vfs.Mount("/", 1, "initfs", "initfs"), vfs::Error::kNoDevice);
  ASSERT_EQ(stack.vfs.Mount("initfs:///", 10, "initfs", "initfs"), vfs::Error::kOk);
  ASSERT_EQ(stack.vfs.Mount("/", 1, "ram0", "fat32"), vfs::Error::kOk);

  auto file = stack.client.Open("initfs:///etc/../etc/fstab");
  ASSERT_TRUE(file.ok());
  EXPECT_EQ(file.value().size, 13u);
  char text[32] = {};
  auto read = stack.client.Read(file.value().handle, reinterpret_cast<uint8_t*>(text), 31);
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(std::string(text, read.value()), "ram0 / fat32\n");
  EXPECT_TRUE(stack.client.Close(file.value().handle).ok());
  // Larger than the driver's buffer: vfsd splits the read.
  auto big = stack.client.Open("initfs:///sbin/vfsd");
  ASSERT_TRUE(big.ok());
  std::vector<uint8_t> bytes(80000);
  auto got = stack.client.Read(big.value().handle, bytes.data(), bytes.size());
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got.value(), 70000u);
  EXPECT_EQ(std::count(bytes.begin(), bytes.begin() + 70000, 'v'), 70000);
  EXPECT_TRUE(stack.client.Close(big.value().handle).ok());

  auto dir = stack.client.Open("initfs:///");
  ASSERT_TRUE(dir.ok() && dir.value().directory);
  std::vector<std::string> names;
  vfs::Entry entry;
  while (true) {
    auto next = stack.client.ReadDir(dir.value().handle, &entry);
    ASSERT_TRUE(next.ok());
    if (!next.value()) break;
    names.emplace_back(entry.name, entry.name_length);
    EXPECT_TRUE(entry.directory);
  }
  EXPECT_EQ(names, (std::vector<std::string>{"etc", "sbin"}));
  EXPECT_TRUE(stack.client.Close(dir.value().handle).ok());

  auto stat = stack.client.Stat("initfs:///sbin");
  EXPECT_TRUE(stat.ok() && stat.value().directory);
  auto write = stack.client.Open("initfs:///etc/new", vfs::kOpenCreate);
  ASSERT_FALSE(write.ok());
  EXPECT_EQ(write.error(), vfs::Error::kReadOnly);
  auto mkdir = stack.client.Mkdir("initfs:///tmp");
  ASSERT_FALSE(mkdir.ok());
  EXPECT_EQ(mkdir.error(), vfs::Error::kReadOnly);
  auto rename = stack.client.Rename("initfs:///etc/fstab", "/fstab");
  ASSERT_FALSE(rename.ok());
  EXPECT_EQ(rename.error(), vfs::Error::kInvalidRename);
  // The fs:// side is unaffected.
  EXPECT_TRUE(stack.client.Stat("/").ok());
}

}  // namespace
}  // namespace hiillos

namespace hiillos {
namespace {

uapi::IpcMessage Stats(Stack& stack, size_t session) {
  return stack.vfs.Handle(session, fs::Request(uint64_t(vfs::Op::kStats)));
}

TEST(FsStackTest, BlockDriverThatDiesUnderFsdRestartsTheDriver) {
  Stack stack;
  stack.host.images["ram0"] = ReadHostFile(MakeImage(40));
  ASSERT_EQ(stack.vfs.Mount("/", 1, "ram0", "fat32"), vfs::Error::kOk);
  auto file = stack.client.Open("/f", vfs::kOpenCreate);
  ASSERT_TRUE(file.ok());
  ASSERT_TRUE(
      stack.client.Write(file.value().handle, reinterpret_cast<const uint8_t*>("abc"), 3).ok());
  ASSERT_TRUE(stack.client.Close(file.value().handle).ok());
  EXPECT_EQ(Stats(stack, 0).words[5], 1u);
  // The block driver dies; the next call that reaches the disk fails with kDriverUnavailable and
  // vfsd drops the driver.
  auto again = stack.client.Open("/f");
  ASSERT_TRUE(again.ok());
  stack.host.running[0]->block_dead = true;
  auto write = stack.client.Write(again.value().handle, reinterpret_cast<const uint8_t*>("xyz"), 3);
  ASSERT_FALSE(write.ok());
  EXPECT_EQ(write.error(), vfs::Error::kDriverUnavailable);
  EXPECT_EQ(stack.host.running.count(0), 0u);
  EXPECT_EQ(stack.vfs.open_count(), 0u);
  // The handle died with the driver; the next request starts a new one (a fresh block session)
  // and finds the data written before.
  auto closed = stack.client.Close(again.value().handle);
  ASSERT_FALSE(closed.ok());
  EXPECT_EQ(closed.error(), vfs::Error::kBadHandle);
  auto reopened = stack.client.Open("/f");
  ASSERT_TRUE(reopened.ok());
  EXPECT_EQ(reopened.value().size, 3u);
  uint8_t bytes[3] = {};
  auto read = stack.client.Read(reopened.value().handle, bytes, 3);
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(std::string(bytes, bytes + 3), "abc");
  EXPECT_EQ(Stats(stack, 0).words[5], 2u);
}

TEST(FsStackTest, SessionsAreBoundedAndEndingOneFreesItsHandles) {
  Stack stack;
  stack.host.images["ram0"] = ReadHostFile(MakeImage(40));
  ASSERT_EQ(stack.vfs.Mount("/", 1, "ram0", "fat32"), vfs::Error::kOk);
  ASSERT_TRUE(stack.client.Mkdir("/d").ok());
  std::vector<uint64_t> handles;
  for (uint64_t i = 0; i < vfs::kMaxOpenPerSession; ++i) {
    auto file = stack.client.Open(("/d/f" + std::to_string(i)).c_str(), vfs::kOpenCreate);
    ASSERT_TRUE(file.ok()) << i;
    handles.push_back(file.value().handle);
  }
  auto one_more = stack.client.Open("/d/extra", vfs::kOpenCreate);
  ASSERT_FALSE(one_more.ok());
  EXPECT_EQ(one_more.error(), vfs::Error::kTooManyOpen);
  uapi::IpcMessage stats = Stats(stack, 0);
  EXPECT_EQ(stats.words[0], 0u);
  EXPECT_EQ(stats.words[1], vfs::kMaxOpenPerSession);
  EXPECT_EQ(stats.words[2], 1u);  // one session with a buffer
  EXPECT_EQ(stats.words[3], 0u);
  EXPECT_EQ(stats.words[4], vfs::kMaxOpenPerSession);
  // Another session is not limited by this one's handles.
  std::vector<uint8_t> other(4096);
  stack.vfs.Attach(1, other.data(), other.size());
  EXPECT_EQ(Stats(stack, 1).words[4], 0u);
  stack.vfs.EndSession(0);  // its client died
  stats = Stats(stack, 1);
  EXPECT_EQ(stats.words[1], 0u);
  EXPECT_EQ(stats.words[2], 1u);
  EXPECT_EQ(stats.words[3], 1u);
}

TEST(FsStackTest, KillDriverIsTheSupervisorsAndRestartsOnNextUse) {
  Stack stack;
  stack.host.images["ram0"] = ReadHostFile(MakeImage(40));
  ASSERT_EQ(stack.vfs.Mount("/", 1, "ram0", "fat32"), vfs::Error::kOk);
  auto file = stack.client.Open("/k", vfs::kOpenCreate);
  ASSERT_TRUE(file.ok());
  memcpy(stack.client_buffer.data(), "/", 1);
  std::vector<uint8_t> other(4096, '/');
  stack.vfs.Attach(1, other.data(), other.size());
  // Only session 0 may kill; an unknown point is not mounted.
  EXPECT_EQ(stack.vfs.Handle(1, fs::Request(uint64_t(vfs::Op::kKillDriver), 0, 1)).words[0],
            uint64_t(vfs::Error::kBadRequest));
  memcpy(stack.client_buffer.data(), "/nowhere", 8);
  EXPECT_EQ(stack.vfs.Handle(0, fs::Request(uint64_t(vfs::Op::kKillDriver), 0, 8)).words[0],
            uint64_t(vfs::Error::kNotMounted));
  memcpy(stack.client_buffer.data(), "/", 1);
  EXPECT_EQ(stack.vfs.Handle(0, fs::Request(uint64_t(vfs::Op::kKillDriver), 0, 1)).words[0],
            uint64_t(vfs::Error::kOk));
  auto read = stack.client.Read(file.value().handle, other.data(), 1);
  ASSERT_FALSE(read.ok());
  EXPECT_EQ(read.error(), vfs::Error::kDriverUnavailable);
  EXPECT_TRUE(stack.client.Stat("/k").ok());
  EXPECT_EQ(stack.host.starts, 2);
}

}  // namespace
}  // namespace hiillos
