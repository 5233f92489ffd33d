// services/proc/image_cache.cc — proc's cache of loaded program images (image_cache.h).
#include "services/proc/image_cache.h"

namespace hiillos::proc {
namespace {

// `stored` is NUL-terminated within kMaxImagePath + 1 bytes.
bool SamePath(const char* path, const char* stored) {
  for (size_t i = 0; i <= kMaxImagePath; ++i) {
    if (path[i] != stored[i]) return false;
    if (path[i] == '\0') return true;
  }
  return false;
}

}  // namespace

int ImageCache::Find(const char* path) {
  for (size_t i = 0; i < kImageCacheSlots; ++i) {
    if (slots_[i].used && SamePath(path, slots_[i].path)) {
      slots_[i].last_use = ++clock_;
      return static_cast<int>(i);
    }
  }
  return -1;
}

size_t ImageCache::Victim(CachedImage* evicted) {
  size_t oldest = 0;
  for (size_t i = 0; i < kImageCacheSlots; ++i) {
    if (!slots_[i].used) {
      *evicted = CachedImage{};
      return i;
    }
    if (slots_[i].last_use < slots_[oldest].last_use) oldest = i;
  }
  *evicted = slots_[oldest];
  slots_[oldest] = CachedImage{};
  return oldest;
}

bool ImageCache::Fill(size_t slot, const char* path, uint32_t frame, uint64_t size) {
  size_t length = 0;
  while (length <= kMaxImagePath && path[length] != '\0') ++length;
  if (length > kMaxImagePath || slot >= kImageCacheSlots) return false;
  CachedImage& image = slots_[slot];
  image = CachedImage{};
  image.used = true;
  for (size_t i = 0; i < length; ++i) image.path[i] = path[i];
  image.frame = frame;
  image.size = size;
  image.last_use = ++clock_;
  return true;
}

}  // namespace hiillos::proc
