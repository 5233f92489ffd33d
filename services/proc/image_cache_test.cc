// services/proc/image_cache_test.cc — proc's image cache: hits by exact path, free slots first,
// then the least recently used image is evicted (and handed back for deletion), over-long paths
// are not cached.
#include "services/proc/image_cache.h"

#include <gtest/gtest.h>

#include <string>

namespace hiillos::proc {
namespace {

TEST(ImageCacheTest, HitsMissesAndLeastRecentlyUsedEviction) {
  ImageCache cache;
  EXPECT_EQ(cache.Find("/bin/a"), -1);
  CachedImage evicted;
  for (uint32_t i = 0; i < kImageCacheSlots; ++i) {
    const size_t slot = cache.Victim(&evicted);
    EXPECT_FALSE(evicted.used);  // free slots first
    const std::string path = "/bin/p" + std::to_string(i);
    ASSERT_TRUE(cache.Fill(slot, path.c_str(), 100 + i, 1000 + i));
  }
  EXPECT_EQ(cache.Find("/bin/p"), -1);    // a prefix is not a hit
  EXPECT_EQ(cache.Find("/bin/p00"), -1);  // nor a longer name
  const int p0 = cache.Find("/bin/p0");   // p0 is now the most recently used
  ASSERT_GE(p0, 0);
  EXPECT_EQ(cache.at(p0).frame, 100u);
  EXPECT_EQ(cache.at(p0).size, 1000u);
  // p1 is the least recently used: it goes, and its frame comes back to the caller.
  const size_t slot = cache.Victim(&evicted);
  EXPECT_TRUE(evicted.used);
  EXPECT_EQ(evicted.frame, 101u);
  EXPECT_EQ(std::string(evicted.path), "/bin/p1");
  EXPECT_EQ(cache.Find("/bin/p1"), -1);
  ASSERT_TRUE(cache.Fill(slot, "/bin/new", 200, 2000));
  EXPECT_EQ(cache.Find("/bin/new"), static_cast<int>(slot));
  EXPECT_GE(cache.Find("/bin/p0"), 0);
  EXPECT_GE(cache.Find("/bin/p2"), 0);
}

TEST(ImageCacheTest, OverlongPathsAreNotCached) {
  ImageCache cache;
  CachedImage evicted;
  const std::string longest(kMaxImagePath, 'x');
  const std::string too_long(kMaxImagePath + 1, 'x');
  EXPECT_FALSE(cache.Fill(cache.Victim(&evicted), too_long.c_str(), 1, 1));
  EXPECT_EQ(cache.Find(too_long.c_str()), -1);
  ASSERT_TRUE(cache.Fill(cache.Victim(&evicted), longest.c_str(), 2, 2));
  EXPECT_GE(cache.Find(longest.c_str()), 0);
  EXPECT_EQ(cache.Find(too_long.c_str()), -1);
  EXPECT_FALSE(cache.Fill(kImageCacheSlots, "/bin/a", 3, 3));
}

}  // namespace
}  // namespace hiillos::proc
