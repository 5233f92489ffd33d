// lib/fat32/namespace_ops.cc — creating, removing and renaming files and directories.
#include "lib/fat32/file_system.h"

#include "lib/fat32/layout.h"

namespace hiillos::fat32 {
namespace {

bool SameSlot(const SlotLocation& a, const SlotLocation& b) {
  return a.cluster == b.cluster && a.slot_in_cluster == b.slot_in_cluster;
}

}  // namespace

Result<Node, Error> FileSystem::Create(const char* path, bool directory) {
  const Parent parent = TRY(FindParent(path));
  auto existing = FindEntry(fat_, parent.directory, parent.name, parent.name_length);
  if (existing.ok()) return Err(Error::kExists);
  if (existing.error() != Error::kNotFound) return Err(existing.error());

  const FatTimestamp now = Now();
  uint32_t cluster = 0;
  if (directory) {
    cluster = TRY(fat_.Allocate(0));
    if (auto dots = WriteDotEntries(fat_, cluster, parent.directory, now); !dots.ok()) {
      (void)fat_.FreeChain(cluster);
      (void)Sync();
      return Err(dots.error());
    }
  }
  uint8_t short_slot[kSlotSize];
  FillShortSlot(short_slot, directory ? attr::kDirectory : attr::kArchive, cluster, 0, now);
  uint8_t slots[kMaxEntrySlots][kSlotSize];
  auto inserted = [&]() -> Result<SlotLocation, Error> {
    const size_t count = TRY(BuildEntrySlots(fat_, parent.directory, parent.name,
                                             parent.name_length, short_slot, slots));
    return InsertSlots(fat_, parent.directory, slots, count);
  }();
  if (!inserted.ok()) {
    if (cluster != 0) (void)fat_.FreeChain(cluster);
    (void)Sync();
    return Err(inserted.error());
  }
  TRY(Sync());
  DirEntry entry{};
  for (size_t i = 0; i < kSlotSize; ++i) entry.short_slot[i] = short_slot[i];
  entry.attributes = short_slot[slot::kAttributes];
  entry.first_cluster = cluster;
  entry.last_slot = inserted.value();
  return NodeFromEntry(entry);
}

Result<Node, Error> FileSystem::CreateFile(const char* path) {
  return Create(path, false);
}

Result<Node, Error> FileSystem::MakeDirectory(const char* path) {
  return Create(path, true);
}

Result<void, Error> FileSystem::Unlink(const char* path) {
  const Located found = TRY(Find(path));
  if (found.node.is_directory()) return Err(Error::kIsADirectory);
  const uint32_t first = found.node.first_cluster;
  if (first != 0) {
    if (!geometry().IsValidCluster(first)) return Err(Error::kBadCluster);
    TRY(fat_.ChainLength(first));  // a corrupt chain is reported before anything changes
  }
  TRY(DeleteSlots(fat_, found.entry));
  if (first != 0) TRY(fat_.FreeChain(first));
  return Sync();
}

Result<void, Error> FileSystem::RemoveDirectory(const char* path) {
  const Located found = TRY(Find(path));
  if (found.node.is_root) return Err(Error::kBadPath);
  const uint32_t directory = TRY(DirectoryCluster(found.node));
  DirWalker walker(fat_, directory);
  DirEntry child;
  if (TRY(ReadEntry(walker, &child))) return Err(Error::kDirectoryNotEmpty);
  TRY(fat_.ChainLength(directory));
  TRY(DeleteSlots(fat_, found.entry));
  TRY(fat_.FreeChain(directory));
  return Sync();
}

Result<void, Error> FileSystem::CheckNotInside(uint32_t directory, uint32_t ancestor) {
  // Walks ".." links from `directory` up to the root; at most one step per cluster.
  const Geometry& g = geometry();
  uint32_t current = directory;
  for (uint32_t steps = 0; current != g.root_cluster; ++steps) {
    if (current == ancestor) return Err(Error::kInvalidRename);
    if (steps >= g.cluster_count) return Err(Error::kChainLoop);
    current = TRY(ReadDotDot(fat_, current));
  }
  return {};
}

Result<void, Error> FileSystem::Rename(const char* from, const char* to) {
  const Located source = TRY(Find(from));
  if (source.node.is_root) return Err(Error::kInvalidRename);
  const Parent target = TRY(FindParent(to));
  const bool moves_directory = source.node.is_directory();
  if (moves_directory) {
    TRY(DirectoryCluster(source.node));
    if (target.directory != source.parent) {
      TRY(CheckNotInside(target.directory, source.node.first_cluster));
    }
  }
  auto existing = FindEntry(fat_, target.directory, target.name, target.name_length);
  if (!existing.ok() && existing.error() != Error::kNotFound) return Err(existing.error());
  const bool replaces =
      existing.ok() && !SameSlot(existing.value().last_slot, source.entry.last_slot);
  if (replaces) {
    if (moves_directory || existing.value().is_directory()) return Err(Error::kExists);
    const uint32_t old = existing.value().first_cluster;
    if (old != 0) {
      if (!geometry().IsValidCluster(old)) return Err(Error::kBadCluster);
      TRY(fat_.ChainLength(old));
    }
  }

  uint8_t short_slot[kSlotSize];
  for (size_t i = 0; i < kSlotSize; ++i) short_slot[i] = source.entry.short_slot[i];
  uint8_t slots[kMaxEntrySlots][kSlotSize];
  const size_t count = TRY(
      BuildEntrySlots(fat_, target.directory, target.name, target.name_length, short_slot, slots));
  // The new entry first, then the old ones go: a failure in between leaves both names.
  TRY(InsertSlots(fat_, target.directory, slots, count));
  if (replaces) {
    TRY(DeleteSlots(fat_, existing.value()));
    if (existing.value().first_cluster != 0) TRY(fat_.FreeChain(existing.value().first_cluster));
  }
  TRY(DeleteSlots(fat_, source.entry));
  if (moves_directory && target.directory != source.parent) {
    TRY(WriteDotDot(fat_, source.node.first_cluster, target.directory));
  }
  return Sync();
}

}  // namespace hiillos::fat32
