// services/root/initfs/initfs_service_test.cc — InitfsService over archives built in the test:
// paths and schemes, reads at offsets, stat, listings with stored and implicit directories,
// handle ownership and reuse, and random requests from two clients.
#include "services/root/initfs/initfs_service.h"

#include <gtest/gtest.h>

#include <random>
#include <set>
#include <string>
#include <vector>

#include "lib/ustar/test_archive.h"

namespace hiillos::initfs {
namespace {

using ustar::EntryType;
using ustar::testing::BuildArchive;
using ustar::testing::TestEntry;

constexpr uint64_t kClientA = 11;
constexpr uint64_t kClientB = 22;

class InitfsServiceTest : public ::testing::Test {
 protected:
  InitfsServiceTest()
      : bytes_(BuildArchive({
            {"etc", EntryType::kDirectory, "", "", 0755},
            {"etc/init.conf", EntryType::kRegular, "start vm\nstart proc\n", "", 0644},
            {"sbin/init", EntryType::kRegular, std::string(3000, 'i'), "", 0755},
            {"sbin/vm", EntryType::kRegular, "vm-binary", "", 0755},
            {"etc/motd", EntryType::kRegular, "hello\n", "", 0644},
            {"lib/link", EntryType::kSymlink, "", "../sbin/init", 0777},
            {"a/b/c/deep.txt", EntryType::kRegular, "deep", "", 0600},
        })),
        archive_(ustar::Archive::Open(bytes_.data(), bytes_.size()).value()),
        service_(archive_) {}

  Handle OpenOk(uint64_t client, const std::string& url) {
    auto h = service_.Open(client, url.data(), url.size());
    EXPECT_TRUE(h.ok()) << url << ": " << (h.ok() ? "" : ErrorName(h.error()));
    return h.value_or(0);
  }

  Error OpenError(const std::string& url) {
    auto h = service_.Open(kClientA, url.data(), url.size());
    EXPECT_FALSE(h.ok()) << url;
    return h.ok() ? Error::kBadHandle : h.error();
  }

  std::string ReadAll(uint64_t client, Handle h) {
    std::string out;
    uint8_t buf[512];
    for (uint64_t offset = 0;;) {
      auto n = service_.Read(client, h, offset, buf, sizeof buf);
      EXPECT_TRUE(n.ok());
      if (!n.ok() || n.value() == 0) return out;
      out.append(reinterpret_cast<char*>(buf), n.value());
      offset += n.value();
    }
  }

  std::vector<std::string> List(const std::string& url) {
    Handle h = OpenOk(kClientA, url);
    std::vector<std::string> names;
    for (uint64_t i = 0;; ++i) {
      auto e = service_.ReadDir(kClientA, h, i);
      if (!e.ok()) {
        EXPECT_EQ(e.error(), Error::kEndOfDirectory);
        break;
      }
      EXPECT_EQ(std::string(e.value().name).size(), e.value().name_length);
      names.push_back(e.value().name);
    }
    EXPECT_TRUE(service_.Close(kClientA, h).ok());
    return names;
  }

  std::vector<uint8_t> bytes_;
  ustar::Archive archive_;
  InitfsService service_;
};

TEST_F(InitfsServiceTest, OpensByUrlOrAbsolutePathAndReadsWholeFiles) {
  Handle h = OpenOk(kClientA, "initfs:///etc/init.conf");
  EXPECT_EQ(ReadAll(kClientA, h), "start vm\nstart proc\n");
  Handle h2 = OpenOk(kClientA, "/sbin/init");
  EXPECT_EQ(ReadAll(kClientA, h2), std::string(3000, 'i'));
  Handle h3 = OpenOk(kClientA, "initfs:///etc/./../etc//motd/");
  EXPECT_EQ(ReadAll(kClientA, h3), "hello\n");
  EXPECT_EQ(service_.open_count(), 3u);
}

TEST_F(InitfsServiceTest, ReadsAtOffsetsAndStopsAtTheEnd) {
  Handle h = OpenOk(kClientA, "/etc/motd");
  uint8_t buf[4];
  auto n = service_.Read(kClientA, h, 2, buf, sizeof buf);
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(n.value(), 4u);
  EXPECT_EQ(std::string(reinterpret_cast<char*>(buf), 4), "llo\n");
  EXPECT_EQ(service_.Read(kClientA, h, 6, buf, sizeof buf).value(), 0u);
  EXPECT_EQ(service_.Read(kClientA, h, ~0ull, buf, sizeof buf).value(), 0u);
  EXPECT_EQ(service_.Read(kClientA, h, 5, buf, 0).value(), 0u);
}

TEST_F(InitfsServiceTest, BadPathsAndOtherSchemesAreRefused) {
  EXPECT_EQ(OpenError("fs:///etc/motd"), Error::kWrongScheme);
  EXPECT_EQ(OpenError("etc/motd"), Error::kBadPath);
  EXPECT_EQ(OpenError(""), Error::kBadPath);
  EXPECT_EQ(OpenError("/.."), Error::kBadPath);
  EXPECT_EQ(OpenError("http://x/y"), Error::kBadPath);
  EXPECT_EQ(OpenError(std::string("/etc\0/motd", 10)), Error::kBadPath);
  EXPECT_EQ(OpenError("/etc/nothing"), Error::kNotFound);
  EXPECT_EQ(OpenError("/sbin/init/x"), Error::kNotFound);
  EXPECT_EQ(OpenError("/a/b/c/deep"), Error::kNotFound);
  EXPECT_EQ(OpenError("/" + std::string(200, 'x') + "/" + std::string(100, 'y')),
            Error::kNotFound);  // longer than any archive path
  EXPECT_EQ(service_.open_count(), 0u);
}

TEST_F(InitfsServiceTest, StatReportsStoredAndImplicitNodes) {
  auto file = service_.Stat(kClientA, OpenOk(kClientA, "/sbin/init")).value();
  EXPECT_EQ(file.type, NodeType::kFile);
  EXPECT_EQ(file.size, 3000u);
  EXPECT_EQ(file.mode, 0755u);
  auto stored_dir = service_.Stat(kClientA, OpenOk(kClientA, "/etc")).value();
  EXPECT_EQ(stored_dir.type, NodeType::kDirectory);
  EXPECT_EQ(stored_dir.mode, 0755u);
  auto implicit_dir = service_.Stat(kClientA, OpenOk(kClientA, "/a/b")).value();
  EXPECT_EQ(implicit_dir.type, NodeType::kDirectory);
  EXPECT_EQ(implicit_dir.mode, 0555u);
  auto root = service_.Stat(kClientA, OpenOk(kClientA, "initfs:///")).value();
  EXPECT_EQ(root.type, NodeType::kDirectory);
  auto link = service_.Stat(kClientA, OpenOk(kClientA, "/lib/link")).value();
  EXPECT_EQ(link.type, NodeType::kSymlink);
}

TEST_F(InitfsServiceTest, ListsEachChildOnceInArchiveOrder) {
  EXPECT_EQ(List("/"), (std::vector<std::string>{"etc", "sbin", "lib", "a"}));
  EXPECT_EQ(List("/etc"), (std::vector<std::string>{"init.conf", "motd"}));
  EXPECT_EQ(List("/sbin"), (std::vector<std::string>{"init", "vm"}));
  EXPECT_EQ(List("/a"), (std::vector<std::string>{"b"}));
  EXPECT_EQ(List("/a/b/c"), (std::vector<std::string>{"deep.txt"}));
}

TEST_F(InitfsServiceTest, ListingGivesEachChildItsStat) {
  Handle root = OpenOk(kClientA, "/");
  auto etc = service_.ReadDir(kClientA, root, 0).value();
  EXPECT_EQ(etc.stat.type, NodeType::kDirectory);
  EXPECT_EQ(etc.stat.mode, 0755u);
  auto sbin = service_.ReadDir(kClientA, root, 1).value();
  EXPECT_EQ(sbin.stat.type, NodeType::kDirectory);
  EXPECT_EQ(sbin.stat.mode, 0555u);
  Handle s = OpenOk(kClientA, "/sbin");
  auto vm = service_.ReadDir(kClientA, s, 1).value();
  EXPECT_EQ(vm.stat.type, NodeType::kFile);
  EXPECT_EQ(vm.stat.size, 9u);
}

TEST_F(InitfsServiceTest, WrongKindOfNodeIsRefused) {
  Handle dir = OpenOk(kClientA, "/etc");
  uint8_t buf[8];
  EXPECT_EQ(service_.Read(kClientA, dir, 0, buf, 8).error(), Error::kNotAFile);
  Handle link = OpenOk(kClientA, "/lib/link");
  EXPECT_EQ(service_.Read(kClientA, link, 0, buf, 8).error(), Error::kNotAFile);
  Handle file = OpenOk(kClientA, "/etc/motd");
  EXPECT_EQ(service_.ReadDir(kClientA, file, 0).error(), Error::kNotADirectory);
}

TEST_F(InitfsServiceTest, HandlesBelongToTheirClientAndDieWhenClosed) {
  Handle h = OpenOk(kClientA, "/etc/motd");
  uint8_t buf[8];
  EXPECT_EQ(service_.Read(kClientB, h, 0, buf, 8).error(), Error::kBadHandle);
  EXPECT_EQ(service_.Stat(kClientB, h).error(), Error::kBadHandle);
  EXPECT_EQ(service_.Close(kClientB, h).error(), Error::kBadHandle);
  EXPECT_TRUE(service_.Close(kClientA, h).ok());
  EXPECT_EQ(service_.Close(kClientA, h).error(), Error::kBadHandle);
  // The slot is reused with a new generation: the old handle stays dead.
  Handle again = OpenOk(kClientA, "/sbin/vm");
  EXPECT_NE(again, h);
  EXPECT_EQ(service_.Read(kClientA, h, 0, buf, 8).error(), Error::kBadHandle);
  EXPECT_EQ(service_.Stat(kClientA, 0).error(), Error::kBadHandle);
  EXPECT_EQ(service_.Stat(kClientA, 0xffffffffu).error(), Error::kBadHandle);
}

TEST_F(InitfsServiceTest, TableFillsUpAndCloseAllFreesAClientsHandles) {
  for (size_t i = 0; i < kMaxOpenHandles; ++i) OpenOk(i % 2 ? kClientA : kClientB, "/etc/motd");
  EXPECT_EQ(OpenError("/etc/motd"), Error::kTooManyOpen);
  service_.CloseAll(kClientA);
  EXPECT_EQ(service_.open_count(), kMaxOpenHandles / 2);
  for (size_t i = 0; i < kMaxOpenHandles / 2; ++i) OpenOk(kClientB, "/sbin/vm");
  EXPECT_EQ(OpenError("/"), Error::kTooManyOpen);
  service_.CloseAll(kClientB);
  EXPECT_EQ(service_.open_count(), 0u);
}

// Random requests with random (often stale or foreign) handles: every answer is either an
// error or consistent with the archive, and the open count matches the handles held.
TEST_F(InitfsServiceTest, RandomRequestsStayConsistent) {
  const std::vector<std::string> urls = {"/",          "/etc",      "/etc/motd",
                                         "/sbin/init", "/a/b",      "/nothing",
                                         "fs:///x",    "/lib/link", "initfs:///sbin/vm"};
  std::mt19937 rng(1234);
  std::set<std::pair<uint64_t, Handle>> held;
  std::vector<Handle> ever;
  for (int step = 0; step < 20000; ++step) {
    const uint64_t client = rng() % 2 ? kClientA : kClientB;
    Handle h =
        ever.empty() || rng() % 4 == 0 ? static_cast<Handle>(rng()) : ever[rng() % ever.size()];
    const bool valid = held.count({client, h}) != 0;
    switch (rng() % 5) {
      case 0: {
        const std::string& url = urls[rng() % urls.size()];
        auto r = service_.Open(client, url.data(), url.size());
        if (r.ok()) {
          held.insert({client, r.value()});
          ever.push_back(r.value());
        }
        break;
      }
      case 1: {
        uint8_t buf[64];
        auto r = service_.Read(client, h, rng() % 4000, buf, rng() % 65);
        if (!valid) EXPECT_EQ(r.error(), Error::kBadHandle);
        break;
      }
      case 2: {
        auto r = service_.ReadDir(client, h, rng() % 6);
        if (!valid) EXPECT_EQ(r.error(), Error::kBadHandle);
        break;
      }
      case 3: {
        auto r = service_.Close(client, h);
        EXPECT_EQ(r.ok(), valid);
        held.erase({client, h});
        break;
      }
      case 4:
        if (rng() % 50 == 0) {
          service_.CloseAll(client);
          for (auto it = held.begin(); it != held.end();) {
            it = it->first == client ? held.erase(it) : std::next(it);
          }
        }
        break;
    }
    ASSERT_EQ(service_.open_count(), held.size()) << "step " << step;
  }
}

}  // namespace
}  // namespace hiillos::initfs
