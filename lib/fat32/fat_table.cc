// lib/fat32/fat_table.cc — FAT entry access, bounded chain walks and cluster allocation.
#include "lib/fat32/fat_table.h"

#include "lib/fat32/layout.h"

namespace hiillos::fat32 {

Result<void, Error> FatTable::Load(uint32_t fat_sector) {
  if (cached_sector_ == fat_sector) return {};
  TRY(Flush());
  const uint64_t first = static_cast<uint64_t>(geometry_.reserved_sectors) +
                         static_cast<uint64_t>(geometry_.active_fat) * geometry_.fat_sectors;
  cached_sector_ = 0xFFFFFFFF;
  TRY(device_.Read(first + fat_sector, 1, cache_));
  cached_sector_ = fat_sector;
  return {};
}

Result<void, Error> FatTable::Flush() {
  if (!dirty_) return {};
  for (uint32_t fat = 0; fat < geometry_.fat_count; ++fat) {
    if (!geometry_.fat_mirrored && fat != geometry_.active_fat) continue;
    const uint64_t sector = static_cast<uint64_t>(geometry_.reserved_sectors) +
                            static_cast<uint64_t>(fat) * geometry_.fat_sectors + cached_sector_;
    TRY(device_.Write(sector, 1, cache_));
  }
  dirty_ = false;
  return {};
}

Result<uint32_t, Error> FatTable::Get(uint32_t cluster) {
  TRY(Load(cluster / (kSectorSize / 4)));
  return Load32(cache_ + (cluster % (kSectorSize / 4)) * 4) & kFatEntryMask;
}

Result<void, Error> FatTable::Set(uint32_t cluster, uint32_t value) {
  TRY(Load(cluster / (kSectorSize / 4)));
  uint8_t* entry = cache_ + (cluster % (kSectorSize / 4)) * 4;
  Store32(entry, (Load32(entry) & ~kFatEntryMask) | (value & kFatEntryMask));
  dirty_ = true;
  return {};
}

Result<uint32_t, Error> FatTable::Next(uint32_t cluster) {
  const uint32_t value = TRY(Get(cluster));
  if (value >= kFatEndMin) return 0u;
  if (!geometry_.IsValidCluster(value)) return Err(Error::kBadCluster);
  return value;
}

Result<uint32_t, Error> FatTable::Walk(uint32_t first, uint32_t steps) {
  if (steps >= geometry_.cluster_count) return Err(Error::kChainLoop);
  uint32_t cluster = first;
  for (uint32_t i = 0; i < steps; ++i) {
    cluster = TRY(Next(cluster));
    if (cluster == 0) return Err(Error::kChainTooShort);
  }
  return cluster;
}

Result<uint32_t, Error> FatTable::ChainLength(uint32_t first) {
  uint32_t length = 0;
  for (uint32_t cluster = first; cluster != 0; cluster = TRY(Next(cluster))) {
    if (++length > geometry_.cluster_count) return Err(Error::kChainLoop);
  }
  return length;
}

Result<uint32_t, Error> FatTable::CountFree() {
  uint32_t free = 0;
  uint32_t first_free = 0;
  for (uint32_t cluster = 2; geometry_.IsValidCluster(cluster); ++cluster) {
    if (TRY(Get(cluster)) == kFatFree) {
      if (first_free == 0) first_free = cluster;
      ++free;
    }
  }
  free_count_ = free;
  if (!geometry_.IsValidCluster(next_free_)) next_free_ = first_free != 0 ? first_free : 2;
  return free;
}

Result<uint32_t, Error> FatTable::Allocate(uint32_t previous) {
  if (free_count_ == 0) return Err(Error::kNoSpace);
  uint32_t cluster = geometry_.IsValidCluster(next_free_) ? next_free_ : 2;
  for (uint32_t scanned = 0; scanned < geometry_.cluster_count; ++scanned) {
    if (TRY(Get(cluster)) == kFatFree) {
      TRY(Set(cluster, kFatEndOfChain));
      if (previous != 0) TRY(Set(previous, cluster));
      --free_count_;
      next_free_ = geometry_.IsValidCluster(cluster + 1) ? cluster + 1 : 2;
      return cluster;
    }
    cluster = geometry_.IsValidCluster(cluster + 1) ? cluster + 1 : 2;
  }
  free_count_ = 0;  // the count was wrong: nothing is free
  return Err(Error::kNoSpace);
}

Result<void, Error> FatTable::FreeChain(uint32_t first) {
  ++free_generation_;
  uint32_t cluster = first;
  for (uint32_t freed = 0; cluster != 0; ++freed) {
    if (freed >= geometry_.cluster_count) return Err(Error::kChainLoop);
    const uint32_t next = TRY(Next(cluster));
    TRY(Set(cluster, kFatFree));
    ++free_count_;
    cluster = next;
  }
  return {};
}

}  // namespace hiillos::fat32
