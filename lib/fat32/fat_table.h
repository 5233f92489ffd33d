// lib/fat32/fat_table.h — the File Allocation Table: entries, chains, allocation, free count.
//
// Owned by one FileSystem; not thread-safe (the server serialises requests). One FAT sector is
// cached; Set() changes the cache and Flush() writes the sector to every FAT copy (or only the
// active one when mirroring is off), so the copies stay identical.
#pragma once

#include <stdint.h>

#include "lib/base/result.h"
#include "lib/fat32/block_device.h"
#include "lib/fat32/error.h"
#include "lib/fat32/geometry.h"

namespace hiillos::fat32 {

class FatTable {
 public:
  FatTable(BlockDevice& device, const Geometry& geometry) : device_(device), geometry_(geometry) {}

  BlockDevice& device() { return device_; }
  const Geometry& geometry() const { return geometry_; }

  // Raw 28-bit entry of a valid cluster number (callers check it).
  Result<uint32_t, Error> Get(uint32_t cluster);
  Result<void, Error> Set(uint32_t cluster, uint32_t value);
  Result<void, Error> Flush();

  // The cluster after `cluster` in its chain, or 0 at the end of the chain. A free, reserved,
  // bad or out-of-range successor is kBadCluster.
  Result<uint32_t, Error> Next(uint32_t cluster);
  // Follows `steps` links from `first` (a valid cluster). kChainTooShort if the chain ends
  // first; steps >= cluster count is kChainLoop.
  Result<uint32_t, Error> Walk(uint32_t first, uint32_t steps);
  // Number of clusters in the chain starting at `first`; kChainLoop if it never ends.
  Result<uint32_t, Error> ChainLength(uint32_t first);

  // Scans the whole FAT: number of free clusters. Sets the next-free hint if it was unknown.
  Result<uint32_t, Error> CountFree();
  // Takes a free cluster, marks it end-of-chain and links it after `previous` (0: none).
  // kNoSpace when none is left.
  Result<uint32_t, Error> Allocate(uint32_t previous);
  // Frees every cluster of the chain starting at `first`.
  Result<void, Error> FreeChain(uint32_t first);

  uint32_t free_count() const { return free_count_; }
  // Changes whenever a cluster is freed (remembered chain positions become stale).
  uint64_t free_generation() const { return free_generation_; }
  uint32_t next_free() const { return next_free_; }
  void set_next_free_hint(uint32_t hint) { next_free_ = hint; }

 private:
  Result<void, Error> Load(uint32_t fat_sector);

  BlockDevice& device_;
  Geometry geometry_;
  uint8_t cache_[kSectorSize];
  uint32_t cached_sector_ = 0xFFFFFFFF;  // index inside one FAT, or none
  bool dirty_ = false;
  uint32_t free_count_ = 0;
  uint32_t next_free_ = 2;
  uint64_t free_generation_ = 0;
};

}  // namespace hiillos::fat32
