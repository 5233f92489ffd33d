// services/root/initfs/initfs_service.h — InitfsService: the state behind initfs:// (open
// handles per client, reads at offsets, stat, directory listing) over a validated ustar archive.
// It knows nothing of IPC: root's server loop decodes each request into one call here, with the
// client identified by the badge of its Sender, so the whole service is host-tested.
//
// Paths are initfs:// URLs or absolute paths ("initfs:///etc/init.conf", "/etc/init.conf"),
// normalised by lib/path. Directories need not be stored: a path with entries below it is a
// directory, and "/" always is. Handles carry a generation, so a closed handle never names a
// later file. Owns no memory beyond its fixed handle table; borrows the archive.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "lib/base/result.h"
#include "lib/ustar/archive.h"
#include "services/root/initfs/error.h"

namespace hiillos::initfs {

enum class NodeType : uint8_t { kFile, kDirectory, kSymlink };

struct NodeStat {
  NodeType type;
  uint64_t size;  // bytes of a file; 0 for directories and symlinks
  uint32_t mode;  // permission bits from the archive (0555 for implicit directories)
  uint64_t mtime;
};

struct DirEntry {
  char name[ustar::kMaxPathLength + 1];  // one component, NUL-terminated
  size_t name_length;
  NodeStat stat;
};

using Handle = uint32_t;  // slot index in the low 8 bits, generation above; 0 is never valid
inline constexpr size_t kMaxOpenHandles = 128;

class InitfsService {
 public:
  explicit InitfsService(const ustar::Archive& archive) : archive_(archive) {}
  InitfsService(const InitfsService&) = delete;
  InitfsService& operator=(const InitfsService&) = delete;

  // Opens a file or directory for `client`. Errors: kBadPath, kWrongScheme, kNotFound,
  // kTooManyOpen.
  Result<Handle, Error> Open(uint64_t client, const char* url, size_t length);

  // Copies up to `capacity` bytes from `offset` into `out`; 0 at or past the end.
  // Errors: kBadHandle, kNotAFile.
  Result<size_t, Error> Read(uint64_t client, Handle handle, uint64_t offset, uint8_t* out,
                             size_t capacity) const;

  // Errors: kBadHandle.
  Result<NodeStat, Error> Stat(uint64_t client, Handle handle) const;

  // The `index`-th entry of an open directory, in archive order, each name once.
  // Errors: kBadHandle, kNotADirectory, kEndOfDirectory. Cost: O(entries^2) (initfs is small).
  Result<DirEntry, Error> ReadDir(uint64_t client, Handle handle, uint64_t index) const;

  // Errors: kBadHandle.
  Result<void, Error> Close(uint64_t client, Handle handle);

  // The client is gone (its Sender was deleted): every handle it holds is closed.
  void CloseAll(uint64_t client);

  size_t open_count() const { return open_count_; }

 private:
  struct OpenNode {
    bool used = false;
    uint32_t generation = 0;
    uint64_t client = 0;
    NodeStat stat{};
    const uint8_t* data = nullptr;              // files: contents in the archive
    char path[ustar::kMaxPathLength + 1] = {};  // archive path ("" for the root)
    size_t path_length = 0;
  };

  Result<const OpenNode*, Error> Find(uint64_t client, Handle handle) const;

  const ustar::Archive& archive_;
  OpenNode nodes_[kMaxOpenHandles];
  size_t open_count_ = 0;
};

}  // namespace hiillos::initfs
