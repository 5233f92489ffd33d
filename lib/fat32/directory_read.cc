// lib/fat32/directory_read.cc — walking directory slots and decoding entries with long names.
#include "lib/fat32/directory.h"

namespace hiillos::fat32 {

DirWalker::DirWalker(FatTable& fat, uint32_t first_cluster)
    : fat_(fat), cluster_(first_cluster), slot_in_cluster_(0), index_(0) {}

DirWalker::DirWalker(FatTable& fat, const SlotLocation& at)
    : fat_(fat), cluster_(at.cluster), slot_in_cluster_(at.slot_in_cluster), index_(at.index) {}

Result<uint8_t*, Error> DirWalker::Current() {
  const Geometry& g = fat_.geometry();
  if (!g.IsValidCluster(cluster_)) return Err(Error::kBadDirectory);
  const uint64_t sector =
      static_cast<uint64_t>(g.ClusterSector(cluster_)) + slot_in_cluster_ / kSlotsPerSector;
  if (sector != loaded_sector_) {
    TRY(Flush());
    loaded_sector_ = ~uint64_t{0};
    TRY(fat_.device().Read(sector, 1, sector_));
    loaded_sector_ = sector;
  }
  return sector_ + (slot_in_cluster_ % kSlotsPerSector) * kSlotSize;
}

Result<void, Error> DirWalker::Flush() {
  if (!dirty_) return {};
  TRY(fat_.device().Write(loaded_sector_, 1, sector_));
  dirty_ = false;
  return {};
}

Result<bool, Error> DirWalker::Advance() {
  const Geometry& g = fat_.geometry();
  const uint32_t slots_per_cluster = g.bytes_per_cluster / kSlotSize;
  if (slot_in_cluster_ + 1 < slots_per_cluster) {
    if (index_ + 1 >= kMaxDirectorySlots) return Err(Error::kBadDirectory);
    ++slot_in_cluster_;
    ++index_;
    return true;
  }
  TRY(Flush());
  const uint32_t next = TRY(fat_.Next(cluster_));
  if (next == 0) {
    at_end_ = true;
    return false;
  }
  if (index_ + 1 >= kMaxDirectorySlots) return Err(Error::kBadDirectory);
  if (++clusters_walked_ >= g.cluster_count) return Err(Error::kChainLoop);
  cluster_ = next;
  slot_in_cluster_ = 0;
  ++index_;
  return true;
}

Result<void, Error> DirWalker::Extend() {
  if (index_ + 1 >= kMaxDirectorySlots) return Err(Error::kDirectoryFull);
  TRY(Flush());
  const uint32_t fresh = TRY(fat_.Allocate(cluster_));
  TRY(ZeroCluster(fat_, fresh));
  cluster_ = fresh;
  slot_in_cluster_ = 0;
  ++index_;
  ++clusters_walked_;
  at_end_ = false;
  return {};
}

namespace {

// Long-name slots seen so far for the entry being decoded.
struct LongNameParts {
  uint16_t units[20 * slot::kLfnCharsPerSlot];
  uint32_t count = 0;     // slots in the sequence (0: none in progress)
  uint32_t expected = 0;  // order of the next slot; 0 when complete
  uint8_t checksum = 0;
  SlotLocation first;

  void Reset() { count = 0; }
  void Take(const uint8_t* s, const SlotLocation& at) {
    const uint8_t order = s[slot::kLfnOrder] & slot::kLfnOrderMask;
    if ((s[slot::kLfnOrder] & slot::kLfnLast) != 0) {
      if (order == 0 || order > 20) return Reset();
      count = order;
      expected = order;
      checksum = s[slot::kLfnChecksum];
      first = at;
    } else if (count == 0 || order != expected || s[slot::kLfnChecksum] != checksum) {
      return Reset();
    }
    for (uint32_t i = 0; i < slot::kLfnCharsPerSlot; ++i) {
      units[(order - 1) * slot::kLfnCharsPerSlot + i] = Load16(s + slot::kLfnCharOffsets[i]);
    }
    --expected;
  }
  // The name's length in units when the sequence is complete and belongs to `short_name`.
  size_t Length(const uint8_t* short_name) const {
    if (count == 0 || expected != 0 || checksum != LfnChecksum(short_name)) return 0;
    size_t length = 0;
    while (length < count * slot::kLfnCharsPerSlot && units[length] != 0) ++length;
    return length <= kMaxNameUnits ? length : 0;
  }
};

bool IsDotEntry(const uint8_t* s) {
  return s[0] == '.' && (s[1] == ' ' || (s[1] == '.' && s[2] == ' '));
}

}  // namespace

uint32_t SlotCluster(const uint8_t* slot) {
  return (static_cast<uint32_t>(Load16(slot + slot::kClusterHigh)) << 16) |
         Load16(slot + slot::kClusterLow);
}

void SetSlotCluster(uint8_t* slot, uint32_t cluster) {
  Store16(slot + slot::kClusterHigh, static_cast<uint16_t>(cluster >> 16));
  Store16(slot + slot::kClusterLow, static_cast<uint16_t>(cluster));
}

Result<bool, Error> ReadEntry(DirWalker& walker, DirEntry* out) {
  LongNameParts parts;
  if (walker.at_end()) return false;
  for (;;) {
    const uint8_t* s = TRY(walker.Current());
    const SlotLocation at = walker.location();
    if (s[0] == slot::kEnd) return false;
    const uint8_t attributes = s[slot::kAttributes];
    bool found = false;
    if (s[0] == slot::kFree) {
      parts.Reset();
    } else if ((attributes & attr::kLongNameMask) == attr::kLongName) {
      parts.Take(s, at);
    } else if ((attributes & attr::kVolumeId) != 0 || IsDotEntry(s)) {
      parts.Reset();
    } else {
      for (size_t i = 0; i < kShortNameBytes; ++i) out->short_name[i] = s[i];
      for (size_t i = 0; i < kSlotSize; ++i) out->short_slot[i] = s[i];
      out->attributes = attributes;
      out->first_cluster = SlotCluster(s);
      out->size = Load32(s + slot::kSize);
      out->last_slot = at;
      const size_t long_length = parts.Length(s);
      if (long_length != 0) {
        out->name_length = Utf16ToUtf8(parts.units, long_length, out->name);
        out->first_slot = parts.first;
        out->slot_count = parts.count + 1;
      } else {
        out->name_length = ShortNameToUtf8(s, s[slot::kCaseFlags], out->name);
        out->first_slot = at;
        out->slot_count = 1;
      }
      found = true;
    }
    const bool more = TRY(walker.Advance());
    if (found) return true;
    if (!more) return false;
  }
}

Result<DirEntry, Error> FindEntry(FatTable& fat, uint32_t directory, const char* name,
                                  size_t length) {
  DirWalker walker(fat, directory);
  DirEntry entry;
  char short_form[2 * kShortNameBytes + 3];
  while (TRY(ReadEntry(walker, &entry))) {
    if (NamesEqual(entry.name, entry.name_length, name, length)) return entry;
    const size_t short_length = ShortNameToUtf8(entry.short_name, 0, short_form);
    if (NamesEqual(short_form, short_length, name, length)) return entry;
  }
  return Err(Error::kNotFound);
}

}  // namespace hiillos::fat32
