// lib/fat32/file_system.cc — mounting, FSInfo upkeep, path lookup and entry updates.
#include "lib/fat32/file_system.h"

#include "lib/fat32/layout.h"
#include "lib/fat32/timestamp.h"

namespace hiillos::fat32 {
namespace {

uint64_t EntryTime(const uint8_t* s, uint32_t date_offset, uint32_t time_offset) {
  return FromFatTimestamp(Load16(s + date_offset), time_offset ? Load16(s + time_offset) : 0);
}

// Splits the next component off `path` at *at; skips empty and "." components.
bool NextComponent(const char* path, size_t length, size_t* at, const char** name,
                   size_t* name_length) {
  for (;;) {
    while (*at < length && path[*at] == '/') ++*at;
    if (*at == length) return false;
    const size_t start = *at;
    while (*at < length && path[*at] != '/') ++*at;
    *name = path + start;
    *name_length = *at - start;
    if (!(*name_length == 1 && (*name)[0] == '.')) return true;
  }
}

bool IsDotDot(const char* name, size_t length) {
  return length == 2 && name[0] == '.' && name[1] == '.';
}

Result<size_t, Error> PathLength(const char* path) {
  size_t length = 0;
  while (path[length] != '\0') {
    if (++length > kMaxPathBytes) return Err(Error::kBadPath);
  }
  return length;
}

}  // namespace

Node NodeFromEntry(const DirEntry& entry) {
  const uint8_t* s = entry.short_slot;
  Node node{};
  node.is_root = false;
  node.attributes = entry.attributes;
  node.first_cluster = entry.first_cluster;
  node.size = entry.is_directory() ? 0 : entry.size;
  node.created =
      EntryTime(s, slot::kCreateDate, slot::kCreateTime) + (s[slot::kCreateCentis] >= 100 ? 1 : 0);
  node.modified = EntryTime(s, slot::kWriteDate, slot::kWriteTime);
  node.accessed = EntryTime(s, slot::kAccessDate, 0);
  node.entry = entry.last_slot;
  return node;
}

Result<FileSystem, Error> FileSystem::Mount(BlockDevice& device, Clock& clock) {
  if (device.sector_size() != kSectorSize) return Err(Error::kBadSectorSize);
  if (device.sector_count() == 0) return Err(Error::kTruncatedImage);
  uint8_t sector[kSectorSize];
  TRY(device.Read(0, 1, sector));
  const Geometry geometry = TRY(ParseBootSector(sector, device.sector_count()));
  FileSystem fs(device, clock, geometry);
  if (geometry.fs_info_sector != 0) {
    TRY(device.Read(geometry.fs_info_sector, 1, sector));
    TRY(CheckFsInfo(sector));
    fs.fs_info_free_ = Load32(sector + fsinfo::kFreeCountOffset);
    fs.fs_info_next_ = Load32(sector + fsinfo::kNextFreeOffset);
    fs.fat_.set_next_free_hint(fs.fs_info_next_);
  }
  // FAT[0] repeats the media byte (fatgen103 §4.2).
  if ((TRY(fs.fat_.Get(0)) & 0xFF) != geometry.media) return Err(Error::kBadMedia);
  TRY(fs.fat_.CountFree());
  TRY(fs.fat_.ChainLength(geometry.root_cluster));
  return fs;
}

Result<void, Error> FileSystem::Sync() {
  TRY(fat_.Flush());
  const Geometry& g = geometry();
  if (g.fs_info_sector == 0) return {};
  if (fs_info_free_ == fat_.free_count() && fs_info_next_ == fat_.next_free()) return {};
  uint8_t sector[kSectorSize];
  TRY(device_.Read(g.fs_info_sector, 1, sector));
  TRY(CheckFsInfo(sector));
  Store32(sector + fsinfo::kFreeCountOffset, fat_.free_count());
  Store32(sector + fsinfo::kNextFreeOffset, fat_.next_free());
  TRY(device_.Write(g.fs_info_sector, 1, sector));
  fs_info_free_ = fat_.free_count();
  fs_info_next_ = fat_.next_free();
  return {};
}

FatTimestamp FileSystem::Now() {
  return ToFatTimestamp(clock_.NowUnixSeconds(), clock_.NowCentiseconds());
}

Node FileSystem::Root() const {
  Node root{};
  root.is_root = true;
  root.attributes = attr::kDirectory;
  root.first_cluster = geometry().root_cluster;
  return root;
}

Result<uint32_t, Error> FileSystem::DirectoryCluster(const Node& node) const {
  if (!node.is_directory()) return Err(Error::kNotADirectory);
  if (!geometry().IsValidCluster(node.first_cluster)) return Err(Error::kBadDirectory);
  return node.first_cluster;
}

Result<FileSystem::Located, Error> FileSystem::Find(const char* path) {
  const size_t length = TRY(PathLength(path));
  Located found{};
  found.node = Root();
  found.parent = 0;
  size_t at = 0;
  const char* name = nullptr;
  size_t name_length = 0;
  while (NextComponent(path, length, &at, &name, &name_length)) {
    if (IsDotDot(name, name_length)) return Err(Error::kBadPath);
    const uint32_t directory = TRY(DirectoryCluster(found.node));
    found.entry = TRY(FindEntry(fat_, directory, name, name_length));
    found.node = NodeFromEntry(found.entry);
    found.parent = directory;
  }
  return found;
}

Result<FileSystem::Parent, Error> FileSystem::FindParent(const char* path) {
  const size_t length = TRY(PathLength(path));
  size_t end = length;
  while (end > 0 && path[end - 1] == '/') --end;
  size_t start = end;
  while (start > 0 && path[start - 1] != '/') --start;
  Parent parent{};
  parent.name = path + start;
  parent.name_length = end - start;
  if (parent.name_length == 0) return Err(Error::kBadPath);  // the root
  if (IsDotDot(parent.name, parent.name_length)) return Err(Error::kBadPath);
  if (parent.name_length == 1 && parent.name[0] == '.') return Err(Error::kBadPath);
  Node directory = Root();
  size_t at = 0;
  const char* name = nullptr;
  size_t name_length = 0;
  while (NextComponent(path, start, &at, &name, &name_length)) {
    if (IsDotDot(name, name_length)) return Err(Error::kBadPath);
    directory =
        NodeFromEntry(TRY(FindEntry(fat_, TRY(DirectoryCluster(directory)), name, name_length)));
  }
  parent.directory = TRY(DirectoryCluster(directory));
  return parent;
}

Result<Node, Error> FileSystem::Lookup(const char* path) {
  return TRY(Find(path)).node;
}

Result<DirectoryReader, Error> FileSystem::OpenDirectory(const Node& directory) {
  return DirectoryReader(fat_, TRY(DirectoryCluster(directory)));
}

Result<void, Error> FileSystem::StoreEntry(const Node& node) {
  DirWalker walker(fat_, node.entry);
  uint8_t* s = TRY(walker.Current());
  SetSlotCluster(s, node.first_cluster);
  Store32(s + slot::kSize, node.is_directory() ? 0 : node.size);
  const FatTimestamp stamp = ToFatTimestamp(node.modified, 0);
  Store16(s + slot::kWriteTime, stamp.time);
  Store16(s + slot::kWriteDate, stamp.date);
  Store16(s + slot::kAccessDate, ToFatTimestamp(node.accessed, 0).date);
  walker.MarkDirty();
  return walker.Flush();
}

}  // namespace hiillos::fat32
