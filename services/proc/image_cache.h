// services/proc/image_cache.h — ImageCache: which program images (ELF files read from initfs://)
// proc keeps loaded, so spawning the same program again needs no initfs Open/Read/Close, frame
// or mapping. The initfs archive never changes while the system runs, so a cached image is
// always current. A few slots, least recently used goes first; pure bookkeeping (host-tested):
// proc allocates, maps and deletes the frames (services/proc/main.cc).
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace hiillos::proc {

inline constexpr size_t kImageCacheSlots = 4;
inline constexpr size_t kMaxImagePath = 256;

struct CachedImage {
  bool used = false;
  char path[kMaxImagePath + 1] = {};  // as the spawn request named it
  uint32_t frame = 0;                 // proc's frame capability, mapped at the slot's window
  uint64_t size = 0;
  uint64_t last_use = 0;
};

class ImageCache {
 public:
  // The slot holding `path`, or -1. A hit counts as a use.
  int Find(const char* path);
  // The slot a new image goes into: a free one, else the least recently used, whose entry is
  // copied to `*evicted` (used = true: the caller unmaps and deletes its frame) and cleared.
  size_t Victim(CachedImage* evicted);
  // Records `path` (longer than kMaxImagePath: not cached, false) in `slot` (from Victim).
  bool Fill(size_t slot, const char* path, uint32_t frame, uint64_t size);
  const CachedImage& at(size_t slot) const { return slots_[slot]; }

 private:
  CachedImage slots_[kImageCacheSlots];
  uint64_t clock_ = 0;
};

}  // namespace hiillos::proc
