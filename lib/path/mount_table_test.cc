// lib/path/mount_table_test.cc — longest-prefix mount resolution and mount/unmount bookkeeping.
#include "lib/path/mount_table.h"

#include <gtest/gtest.h>

#include <string>

namespace hiillos::path {
namespace {

NormalPath P(const char* url) {
  auto parsed = NormalPath::Parse(url);
  EXPECT_TRUE(parsed.ok()) << url;
  return parsed.ok() ? parsed.value() : NormalPath();
}

// "<mount id>:<inner path>" or "error: <name>".
std::string Resolved(const MountTable& table, const char* url) {
  const NormalPath path = P(url);
  auto resolution = table.Resolve(path);
  if (!resolution.ok()) return std::string("error: ") + ErrorName(resolution.error());
  return std::to_string(resolution.value().mount_id) + ":" +
         std::string(resolution.value().inner, resolution.value().inner_length);
}

class MountTableTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(table_.Mount(P("/"), 1).ok());
    ASSERT_TRUE(table_.Mount(P("/mnt/disk"), 2).ok());
    ASSERT_TRUE(table_.Mount(P("/mnt/disk/cache"), 3).ok());
    ASSERT_TRUE(table_.Mount(P("initfs://"), 4).ok());
  }
  MountTable table_;
};

TEST_F(MountTableTest, LongestMountPointWins) {
  EXPECT_EQ(Resolved(table_, "/etc/fstab"), "1:/etc/fstab");
  EXPECT_EQ(Resolved(table_, "/"), "1:/");
  EXPECT_EQ(Resolved(table_, "/mnt"), "1:/mnt");
  EXPECT_EQ(Resolved(table_, "/mnt/disk"), "2:/");
  EXPECT_EQ(Resolved(table_, "/mnt/disk/a/b"), "2:/a/b");
  EXPECT_EQ(Resolved(table_, "/mnt/disk/cache/x"), "3:/x");
  EXPECT_EQ(Resolved(table_, "/mnt/disk/cached"), "2:/cached");
  EXPECT_EQ(Resolved(table_, "/mnt/disk2/a"), "1:/mnt/disk2/a");
  EXPECT_EQ(Resolved(table_, "initfs:///sbin/init"), "4:/sbin/init");
}

TEST_F(MountTableTest, DotDotCannotReachAboveAMountRoot) {
  // ".." is gone before resolution: leaving a mount lexically lands in the parent mount, and the
  // path a driver sees has no "..".
  EXPECT_EQ(Resolved(table_, "/mnt/disk/../etc"), "1:/mnt/etc");
  EXPECT_EQ(Resolved(table_, "/mnt/disk/cache/../../disk/a"), "2:/a");
  EXPECT_EQ(Resolved(table_, "/mnt/disk/a/../../disk/cache/.."), "2:/");
  EXPECT_FALSE(NormalPath::Parse("/mnt/disk/../../..").ok());
}

TEST_F(MountTableTest, ResolutionNeedsAMount) {
  MountTable empty;
  EXPECT_EQ(Resolved(empty, "/a"), "error: no file system mounted there");
  ASSERT_TRUE(empty.Mount(P("/data"), 9).ok());
  EXPECT_EQ(Resolved(empty, "/"), "error: no file system mounted there");
  EXPECT_EQ(Resolved(empty, "/data/x"), "9:/x");
  EXPECT_EQ(Resolved(empty, "initfs:///data/x"), "error: no file system mounted there");
}

TEST_F(MountTableTest, MountAndUnmount) {
  EXPECT_EQ(table_.Mount(P("/mnt//disk/"), 5).error(), Error::kAlreadyMounted);
  EXPECT_EQ(table_.size(), 4u);
  EXPECT_EQ(table_.Unmount(P("/mnt/disk")).value(), 2u);
  EXPECT_EQ(Resolved(table_, "/mnt/disk/a"), "1:/mnt/disk/a");
  EXPECT_EQ(Resolved(table_, "/mnt/disk/cache/a"), "3:/a");  // nested mounts stay
  EXPECT_EQ(table_.Unmount(P("/mnt/disk")).error(), Error::kNotMounted);
  EXPECT_EQ(table_.Unmount(P("/mnt")).error(), Error::kNotMounted);
  EXPECT_TRUE(table_.Mount(P("/mnt/disk"), 6).ok());
  EXPECT_EQ(Resolved(table_, "/mnt/disk/a"), "6:/a");
}

TEST(MountTable, CapacityIsBounded) {
  MountTable table;
  for (size_t i = 0; i < kMaxMounts; ++i) {
    const std::string point = "/m" + std::to_string(i);
    ASSERT_TRUE(table.Mount(P(point.c_str()), static_cast<uint32_t>(i)).ok());
  }
  EXPECT_EQ(table.Mount(P("/one-more"), 99).error(), Error::kMountTableFull);
  EXPECT_EQ(table.Unmount(P("/m0")).value(), 0u);
  EXPECT_TRUE(table.Mount(P("/one-more"), 99).ok());
  EXPECT_EQ(Resolved(table, "/m31/x"), "31:/x");
  EXPECT_EQ(Resolved(table, "/one-more"), "99:/");
}

}  // namespace
}  // namespace hiillos::path
