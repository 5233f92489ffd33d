// lib/fat32/directory_write.cc — building, inserting and deleting directory entry sets.
#include "lib/fat32/directory.h"

namespace hiillos::fat32 {
namespace {

void CopyBytes(uint8_t* to, const uint8_t* from, size_t count) {
  for (size_t i = 0; i < count; ++i) to[i] = from[i];
}

void FillBytes(uint8_t* to, uint8_t value, size_t count) {
  for (size_t i = 0; i < count; ++i) to[i] = value;
}

// The lowest ~N tail no entry of `directory` uses with this basis.
Result<uint32_t, Error> FreeTail(FatTable& fat, uint32_t directory, const ShortNameBasis& basis) {
  uint8_t used[kMaxShortNameTail / 8] = {};
  DirWalker walker(fat, directory);
  DirEntry entry;
  while (TRY(ReadEntry(walker, &entry))) {
    const uint32_t tail = ShortNameTail(basis, entry.short_name);
    if (tail != 0) used[tail / 8] = static_cast<uint8_t>(used[tail / 8] | (1u << (tail % 8)));
  }
  for (uint32_t tail = 1; tail < kMaxShortNameTail; ++tail) {
    if ((used[tail / 8] & (1u << (tail % 8))) == 0) return tail;
  }
  return Err(Error::kDirectoryFull);
}

uint32_t DotDotValue(const Geometry& g, uint32_t parent) {
  return parent == g.root_cluster ? 0 : parent;
}

}  // namespace

Result<size_t, Error> BuildEntrySlots(FatTable& fat, uint32_t directory, const char* name,
                                      size_t length, uint8_t* short_slot,
                                      uint8_t (*slots)[kSlotSize]) {
  uint16_t units[kMaxNameUnits];
  const size_t count = TRY(NameToUtf16(name, length, units));
  uint8_t short_name[kShortNameBytes];
  size_t long_slots = 0;
  if (!ExactShortName(name, length, short_name)) {
    const ShortNameBasis basis = MakeShortNameBasis(units, count);
    ShortNameWithTail(basis, TRY(FreeTail(fat, directory, basis)), short_name);
    long_slots = (count + slot::kLfnCharsPerSlot - 1) / slot::kLfnCharsPerSlot;
  }
  const uint8_t checksum = LfnChecksum(short_name);
  for (size_t k = 0; k < long_slots; ++k) {
    const uint32_t order = static_cast<uint32_t>(long_slots - k);
    uint8_t* s = slots[k];
    FillBytes(s, 0, kSlotSize);
    s[slot::kLfnOrder] = static_cast<uint8_t>(order | (k == 0 ? slot::kLfnLast : 0));
    s[slot::kAttributes] = attr::kLongName;
    s[slot::kLfnChecksum] = checksum;
    for (uint32_t i = 0; i < slot::kLfnCharsPerSlot; ++i) {
      const size_t at = (order - 1) * slot::kLfnCharsPerSlot + i;
      const uint16_t unit = at < count ? units[at] : (at == count ? 0 : 0xFFFF);
      Store16(s + slot::kLfnCharOffsets[i], unit);
    }
  }
  CopyBytes(short_slot, short_name, kShortNameBytes);
  short_slot[slot::kCaseFlags] = 0;
  CopyBytes(slots[long_slots], short_slot, kSlotSize);
  return long_slots + 1;
}

Result<SlotLocation, Error> InsertSlots(FatTable& fat, uint32_t directory,
                                        const uint8_t (*slots)[kSlotSize], size_t count) {
  // The directory's chain must end before it grows (a loop is an error, not a hang).
  TRY(fat.ChainLength(directory));
  // Pass 1: find (or make) `count` consecutive free slots.
  DirWalker finder(fat, directory);
  SlotLocation start{};
  size_t run = 0;
  for (;;) {
    const uint8_t* s = TRY(finder.Current());
    if (s[0] == slot::kEnd || s[0] == slot::kFree) {
      if (run == 0) start = finder.location();
      if (++run == count) break;
    } else {
      run = 0;
    }
    if (!TRY(finder.Advance())) TRY(finder.Extend());
  }
  TRY(finder.Flush());
  // Pass 2: write them.
  DirWalker writer(fat, start);
  for (size_t i = 0; i < count; ++i) {
    uint8_t* s = TRY(writer.Current());
    CopyBytes(s, slots[i], kSlotSize);
    writer.MarkDirty();
    if (i + 1 < count && !TRY(writer.Advance())) return Err(Error::kBadDirectory);
  }
  const SlotLocation last = writer.location();
  TRY(writer.Flush());
  return last;
}

Result<void, Error> DeleteSlots(FatTable& fat, const DirEntry& entry) {
  DirWalker walker(fat, entry.first_slot);
  for (uint32_t i = 0; i < entry.slot_count; ++i) {
    uint8_t* s = TRY(walker.Current());
    s[0] = slot::kFree;
    walker.MarkDirty();
    if (i + 1 < entry.slot_count && !TRY(walker.Advance())) return Err(Error::kBadDirectory);
  }
  return walker.Flush();
}

void FillShortSlot(uint8_t* s, uint8_t attributes, uint32_t first_cluster, uint32_t size,
                   const FatTimestamp& now) {
  s[slot::kAttributes] = attributes;
  s[slot::kCaseFlags] = 0;
  s[slot::kCreateCentis] = now.centiseconds;
  Store16(s + slot::kCreateTime, now.time);
  Store16(s + slot::kCreateDate, now.date);
  Store16(s + slot::kAccessDate, now.date);
  Store16(s + slot::kWriteTime, now.time);
  Store16(s + slot::kWriteDate, now.date);
  SetSlotCluster(s, first_cluster);
  Store32(s + slot::kSize, size);
}

Result<void, Error> ZeroCluster(FatTable& fat, uint32_t cluster) {
  const Geometry& g = fat.geometry();
  uint8_t zeros[kSectorSize] = {};
  for (uint32_t i = 0; i < g.sectors_per_cluster; ++i) {
    TRY(fat.device().Write(static_cast<uint64_t>(g.ClusterSector(cluster)) + i, 1, zeros));
  }
  return {};
}

Result<void, Error> WriteDotEntries(FatTable& fat, uint32_t cluster, uint32_t parent,
                                    const FatTimestamp& now) {
  TRY(ZeroCluster(fat, cluster));
  uint8_t sector[kSectorSize] = {};
  FillBytes(sector, ' ', kShortNameBytes);
  sector[0] = '.';
  FillShortSlot(sector, attr::kDirectory, cluster, 0, now);
  uint8_t* dot_dot = sector + kSlotSize;
  FillBytes(dot_dot, ' ', kShortNameBytes);
  dot_dot[0] = dot_dot[1] = '.';
  FillShortSlot(dot_dot, attr::kDirectory, DotDotValue(fat.geometry(), parent), 0, now);
  return fat.device().Write(fat.geometry().ClusterSector(cluster), 1, sector);
}

namespace {

// Slot 1 of `directory`, checked to be "..".
Result<uint8_t*, Error> DotDotSlot(DirWalker& walker) {
  const uint8_t* dot = TRY(walker.Current());
  if (dot[0] != '.' || dot[1] != ' ') return Err(Error::kBadDirectory);
  if (!TRY(walker.Advance())) return Err(Error::kBadDirectory);
  uint8_t* dot_dot = TRY(walker.Current());
  if (dot_dot[0] != '.' || dot_dot[1] != '.' || dot_dot[2] != ' ' ||
      (dot_dot[slot::kAttributes] & attr::kDirectory) == 0) {
    return Err(Error::kBadDirectory);
  }
  return dot_dot;
}

}  // namespace

Result<uint32_t, Error> ReadDotDot(FatTable& fat, uint32_t directory) {
  DirWalker walker(fat, directory);
  const uint32_t parent = SlotCluster(TRY(DotDotSlot(walker)));
  if (parent == 0) return fat.geometry().root_cluster;
  if (!fat.geometry().IsValidCluster(parent)) return Err(Error::kBadDirectory);
  return parent;
}

Result<void, Error> WriteDotDot(FatTable& fat, uint32_t directory, uint32_t parent) {
  DirWalker walker(fat, directory);
  uint8_t* dot_dot = TRY(DotDotSlot(walker));
  SetSlotCluster(dot_dot, DotDotValue(fat.geometry(), parent));
  walker.MarkDirty();
  return walker.Flush();
}

}  // namespace hiillos::fat32
