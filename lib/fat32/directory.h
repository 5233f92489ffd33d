// lib/fat32/directory.h — directory slots: walking a directory's chain, decoding entries with
// their long names, finding names, inserting and deleting entry sets, generating short names.
//
// A directory is a cluster chain of 32-byte slots (the root's starts at the BPB's root cluster).
// Walks are bounded: at most 65536 slots (fatgen103 §6) and no more clusters than the volume has.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "lib/base/result.h"
#include "lib/fat32/error.h"
#include "lib/fat32/fat_table.h"
#include "lib/fat32/layout.h"
#include "lib/fat32/name.h"
#include "lib/fat32/timestamp.h"

namespace hiillos::fat32 {

// Where a slot lives: its cluster and its index inside that cluster, plus its index in the
// directory (for the 65536-slot bound).
struct SlotLocation {
  uint32_t cluster;
  uint32_t slot_in_cluster;
  uint32_t index;
};

// One live directory entry: its name (the long name when a valid one precedes it, else the
// short name) and its short slot's fields.
struct DirEntry {
  char name[kMaxNameBytes + 1];
  size_t name_length;
  uint8_t short_name[kShortNameBytes];
  uint8_t short_slot[kSlotSize];  // the raw short slot
  uint8_t attributes;
  uint32_t first_cluster;
  uint32_t size;
  SlotLocation first_slot;  // the first long-name slot, or the short slot
  SlotLocation last_slot;   // the short slot
  uint32_t slot_count;

  bool is_directory() const { return (attributes & attr::kDirectory) != 0; }
};

// Walks the slots of one directory. Owns one sector buffer; changes made through Current()
// must be announced with MarkDirty() and reach the disk at Flush() or when the walk moves to
// another sector.
class DirWalker {
 public:
  DirWalker(FatTable& fat, uint32_t first_cluster);
  DirWalker(FatTable& fat, const SlotLocation& at);

  // The current slot (32 bytes inside the sector buffer).
  Result<uint8_t*, Error> Current();
  void MarkDirty() { dirty_ = true; }
  Result<void, Error> Flush();
  // Moves to the next slot: false when the chain ends (the walker stays on the last slot and
  // at_end() turns true).
  Result<bool, Error> Advance();
  // After Advance() returned false: appends a zeroed cluster and moves onto its first slot.
  // kDirectoryFull at 65536 slots, kNoSpace.
  Result<void, Error> Extend();
  SlotLocation location() const { return {cluster_, slot_in_cluster_, index_}; }
  bool at_end() const { return at_end_; }

 private:
  FatTable& fat_;
  uint32_t cluster_;
  uint32_t slot_in_cluster_;
  uint32_t index_;
  uint32_t clusters_walked_ = 0;
  uint64_t loaded_sector_ = ~uint64_t{0};
  bool dirty_ = false;
  bool at_end_ = false;
  uint8_t sector_[kSectorSize];
};

// Reads the next live entry from the walker's position, skipping free and deleted slots, the
// volume label, "." and "..". Returns false at the end of the directory. Long names are used
// only when their sequence is complete and their checksum matches the short name.
Result<bool, Error> ReadEntry(DirWalker& walker, DirEntry* out);

// The entry called `name` (case-insensitive; long or short name). kNotFound.
Result<DirEntry, Error> FindEntry(FatTable& fat, uint32_t directory, const char* name,
                                  size_t length);

// The new entry set for `name` in `directory`: its long-name slots (none when `name` is an
// exact upper-case 8.3 name) followed by the short slot whose name is unique in the directory
// (basis~N). `short_slot` already holds attributes, times, cluster and size; its name is set.
// Returns the number of slots written to `slots` (room for 21).
inline constexpr size_t kMaxEntrySlots = 21;
Result<size_t, Error> BuildEntrySlots(FatTable& fat, uint32_t directory, const char* name,
                                      size_t length, uint8_t* short_slot,
                                      uint8_t (*slots)[kSlotSize]);

// Writes `count` slots into the first run of free slots of `directory` (growing it when
// needed). Returns the location of the last (short) slot.
Result<SlotLocation, Error> InsertSlots(FatTable& fat, uint32_t directory,
                                        const uint8_t (*slots)[kSlotSize], size_t count);

// Marks an entry's slots deleted.
Result<void, Error> DeleteSlots(FatTable& fat, const DirEntry& entry);

// Fills a short slot's fields (name left as is).
void FillShortSlot(uint8_t* slot, uint8_t attributes, uint32_t first_cluster, uint32_t size,
                   const FatTimestamp& now);
uint32_t SlotCluster(const uint8_t* slot);
void SetSlotCluster(uint8_t* slot, uint32_t cluster);

// Writes a zeroed cluster.
Result<void, Error> ZeroCluster(FatTable& fat, uint32_t cluster);

// A new directory's first cluster: "." and ".." then zeros. `parent` is 0 for the root.
Result<void, Error> WriteDotEntries(FatTable& fat, uint32_t cluster, uint32_t parent,
                                    const FatTimestamp& now);
// The cluster a directory's ".." names (0: the root). kBadDirectory when slot 1 is not "..".
Result<uint32_t, Error> ReadDotDot(FatTable& fat, uint32_t directory);
Result<void, Error> WriteDotDot(FatTable& fat, uint32_t directory, uint32_t parent);

}  // namespace hiillos::fat32
