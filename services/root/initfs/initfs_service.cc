// services/root/initfs/initfs_service.cc — open/read/stat/readdir/close over the archive.
#include "services/root/initfs/initfs_service.h"

#include "lib/path/normal_path.h"

namespace hiillos::initfs {
namespace {

constexpr uint32_t kIndexBits = 8;
constexpr uint32_t kIndexMask = (1u << kIndexBits) - 1;
constexpr uint32_t kMaxGeneration = (1u << (32 - kIndexBits)) - 1;
static_assert(kMaxOpenHandles <= kIndexMask + 1);

constexpr NodeStat kImplicitDirectory{NodeType::kDirectory, 0, 0555, 0};

NodeStat StatOf(const ustar::Entry& entry) {
  switch (entry.type) {
    case ustar::EntryType::kRegular:
      return NodeStat{NodeType::kFile, entry.size, entry.mode, entry.mtime};
    case ustar::EntryType::kDirectory:
      return NodeStat{NodeType::kDirectory, 0, entry.mode, entry.mtime};
    case ustar::EntryType::kSymlink:
      return NodeStat{NodeType::kSymlink, 0, entry.mode, entry.mtime};
  }
  return kImplicitDirectory;
}

bool SameBytes(const char* a, const char* b, size_t length) {
  for (size_t i = 0; i < length; ++i) {
    if (a[i] != b[i]) return false;
  }
  return true;
}

// The first component of `path` below directory `dir` (archive paths; "" is the root), or
// length 0 when `path` is not below `dir`.
struct Child {
  const char* name;
  size_t length;
  bool direct;  // `path` is the child itself, not something deeper
};

Child ChildOf(const char* dir, size_t dir_length, const char* path, size_t path_length) {
  size_t start = 0;
  if (dir_length > 0) {
    if (path_length <= dir_length + 1 || !SameBytes(path, dir, dir_length) ||
        path[dir_length] != '/') {
      return Child{nullptr, 0, false};
    }
    start = dir_length + 1;
  }
  size_t end = start;
  while (end < path_length && path[end] != '/') ++end;
  return Child{path + start, end - start, end == path_length};
}

}  // namespace

Result<Handle, Error> InitfsService::Open(uint64_t client, const char* url, size_t length) {
  auto parsed = path::NormalPath::Parse(url, length);
  if (!parsed) return Err(Error::kBadPath);
  const path::NormalPath& normal = parsed.value();
  const bool bare = length > 0 && url[0] == '/';
  if (!bare && normal.scheme() != path::Scheme::kInitfs) return Err(Error::kWrongScheme);

  // Archive paths are relative: drop the leading '/'.
  const char* rel = normal.path() + 1;
  const size_t rel_length = normal.length() - 1;
  if (rel_length > ustar::kMaxPathLength) return Err(Error::kNotFound);

  NodeStat stat = kImplicitDirectory;
  const uint8_t* data = nullptr;
  if (rel_length > 0) {
    auto entry = archive_.Lookup(rel, rel_length);
    if (entry) {
      stat = StatOf(entry.value());
      data = entry.value().data;
    } else {
      bool has_children = false;
      for (const ustar::Entry& e : archive_) {
        if (ChildOf(rel, rel_length, e.path, e.path_length).length > 0) {
          has_children = true;
          break;
        }
      }
      if (!has_children) return Err(Error::kNotFound);
    }
  }

  size_t index = 0;
  while (index < kMaxOpenHandles && nodes_[index].used) ++index;
  if (index == kMaxOpenHandles) return Err(Error::kTooManyOpen);

  OpenNode& node = nodes_[index];
  node.generation = node.generation == kMaxGeneration ? 1 : node.generation + 1;
  node.used = true;
  node.client = client;
  node.stat = stat;
  node.data = data;
  for (size_t i = 0; i < rel_length; ++i) node.path[i] = rel[i];
  node.path[rel_length] = '\0';
  node.path_length = rel_length;
  ++open_count_;
  return (node.generation << kIndexBits) | static_cast<uint32_t>(index);
}

Result<const InitfsService::OpenNode*, Error> InitfsService::Find(uint64_t client,
                                                                  Handle handle) const {
  const uint32_t index = handle & kIndexMask;
  if (index >= kMaxOpenHandles) return Err(Error::kBadHandle);
  const OpenNode& node = nodes_[index];
  if (!node.used || node.client != client || node.generation != (handle >> kIndexBits)) {
    return Err(Error::kBadHandle);
  }
  return &node;
}

Result<size_t, Error> InitfsService::Read(uint64_t client, Handle handle, uint64_t offset,
                                          uint8_t* out, size_t capacity) const {
  const OpenNode* node = TRY(Find(client, handle));
  if (node->stat.type != NodeType::kFile) return Err(Error::kNotAFile);
  if (offset >= node->stat.size) return size_t{0};
  const uint64_t left = node->stat.size - offset;
  const size_t count = left < capacity ? static_cast<size_t>(left) : capacity;
  // One block copy (the byte loop the compiler made of a loop here reloaded node->data for
  // every byte: `out` may alias it).
  __builtin_memcpy(out, node->data + offset, count);
  return count;
}

Result<NodeStat, Error> InitfsService::Stat(uint64_t client, Handle handle) const {
  const OpenNode* node = TRY(Find(client, handle));
  return node->stat;
}

Result<DirEntry, Error> InitfsService::ReadDir(uint64_t client, Handle handle,
                                               uint64_t index) const {
  const OpenNode* dir = TRY(Find(client, handle));
  if (dir->stat.type != NodeType::kDirectory) return Err(Error::kNotADirectory);

  uint64_t seen = 0;
  for (auto it = archive_.begin(); it != archive_.end(); ++it) {
    const Child child = ChildOf(dir->path, dir->path_length, it->path, it->path_length);
    if (child.length == 0) continue;
    // Each name once: skip it when an earlier entry already produced it.
    bool duplicate = false;
    for (auto earlier = archive_.begin(); earlier != it; ++earlier) {
      const Child other = ChildOf(dir->path, dir->path_length, earlier->path, earlier->path_length);
      if (other.length == child.length && SameBytes(other.name, child.name, child.length)) {
        duplicate = true;
        break;
      }
    }
    if (duplicate) continue;
    if (seen++ != index) continue;

    DirEntry out{};
    for (size_t i = 0; i < child.length; ++i) out.name[i] = child.name[i];
    out.name[child.length] = '\0';
    out.name_length = child.length;
    if (child.direct) {
      out.stat = StatOf(*it);
    } else {
      // Something deeper came first: the child is a directory, stored or implicit.
      const size_t full_length = static_cast<size_t>(child.name - it->path) + child.length;
      auto stored = archive_.Lookup(it->path, full_length);
      out.stat = stored ? StatOf(stored.value()) : kImplicitDirectory;
    }
    return out;
  }
  return Err(Error::kEndOfDirectory);
}

Result<void, Error> InitfsService::Close(uint64_t client, Handle handle) {
  TRY(Find(client, handle));
  nodes_[handle & kIndexMask].used = false;
  --open_count_;
  return Ok<Error>();
}

void InitfsService::CloseAll(uint64_t client) {
  for (OpenNode& node : nodes_) {
    if (node.used && node.client == client) {
      node.used = false;
      --open_count_;
    }
  }
}

}  // namespace hiillos::initfs
