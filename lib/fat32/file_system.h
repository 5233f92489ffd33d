// lib/fat32/file_system.h — a mounted FAT32 volume: lookup, stat, readdir, read, write,
// truncate, create, mkdir, unlink, rmdir, rename.
//
// The state machine fsd.fat32 will run behind its IPC loop. One FileSystem owns the volume on
// its BlockDevice; it is not thread-safe (the server handles one request at a time). Every
// call that changes the volume leaves it consistent when it returns: both FATs written, the
// FSInfo free count and next-free hint updated. Paths are '/'-separated UTF-8, relative to the
// volume root; empty components and "." are skipped, ".." is refused (vfsd resolves it).
//
//   auto fs = TRY(fat32::FileSystem::Mount(device, clock));
//   fat32::Node file = TRY(fs.CreateFile("/etc/motd"));
//   TRY(fs.Write(file, 0, bytes, size));
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "lib/base/result.h"
#include "lib/fat32/block_device.h"
#include "lib/fat32/clock.h"
#include "lib/fat32/directory.h"
#include "lib/fat32/error.h"
#include "lib/fat32/fat_table.h"
#include "lib/fat32/geometry.h"

namespace hiillos::fat32 {

inline constexpr size_t kMaxPathBytes = 4096;
inline constexpr uint32_t kMaxFileSize = 0xFFFFFFFF;

// A file or directory as found by Lookup: what stat reports, plus where its entry lives. A
// Node stays valid until its entry is renamed or removed.
struct Node {
  bool is_root;
  uint8_t attributes;  // attr::k*
  uint32_t first_cluster;
  uint32_t size;       // 0 for directories
  uint64_t created;    // seconds since 1970 (UTC), 2-second resolution
  uint64_t modified;   // seconds since 1970 (UTC), 2-second resolution
  uint64_t accessed;   // midnight of the access date
  SlotLocation entry;  // the short slot (unused for the root)
  bool chain_checked;  // its whole chain was walked once (no loop, no bad cluster)

  bool is_directory() const { return is_root || (attributes & attr::kDirectory) != 0; }
};

// Node for a directory entry read with DirectoryReader.
Node NodeFromEntry(const DirEntry& entry);

class FileSystem;

// Lists a directory's entries (not "." and ".."). Borrows the FileSystem.
class DirectoryReader {
 public:
  // The next entry, or false at the end.
  Result<bool, Error> Next(DirEntry* out) { return ReadEntry(walker_, out); }

 private:
  friend class FileSystem;
  DirectoryReader(FatTable& fat, uint32_t cluster) : walker_(fat, cluster) {}
  DirWalker walker_;
};

class FileSystem {
 public:
  // Validates the boot sector, FSInfo and FAT geometry, counts the free clusters and checks
  // the root directory's chain. Errors: see error.h (mount group), kIo.
  static Result<FileSystem, Error> Mount(BlockDevice& device, Clock& clock);

  const Geometry& geometry() const { return fat_.geometry(); }
  uint32_t free_clusters() const { return fat_.free_count(); }

  Node Root() const;
  Result<Node, Error> Lookup(const char* path);
  Result<DirectoryReader, Error> OpenDirectory(const Node& directory);

  // Reads up to `length` bytes at `offset` (fewer at the end of the file). kIsADirectory,
  // kChainTooShort / kBadCluster / kChainLoop on a corrupt chain.
  Result<size_t, Error> Read(const Node& file, uint64_t offset, uint8_t* out, size_t length);
  // Writes `length` bytes at `offset`, zero-filling any gap after the old end and allocating
  // clusters; updates size, modification and access time. On kNoSpace (or any error while
  // growing) the clusters the call took are freed and the size stays as it was; bytes it
  // overwrote inside the old size may have changed. kFileTooLarge, kIsADirectory.
  Result<size_t, Error> Write(Node& file, uint64_t offset, const uint8_t* data, size_t length);
  // Shrinks (freeing clusters) or grows (zero-filled) the file to `size`.
  Result<void, Error> Truncate(Node& file, uint32_t size);

  Result<Node, Error> CreateFile(const char* path);
  Result<Node, Error> MakeDirectory(const char* path);
  Result<void, Error> Unlink(const char* path);
  // Only empty directories: kDirectoryNotEmpty.
  Result<void, Error> RemoveDirectory(const char* path);
  // Moves `from` to `to` (any directories). A file replaces an existing file; anything else
  // existing at `to` is kExists; a directory cannot move into its own subtree.
  Result<void, Error> Rename(const char* from, const char* to);

 private:
  FileSystem(BlockDevice& device, Clock& clock, const Geometry& geometry)
      : device_(device), clock_(clock), fat_(device, geometry) {}

  struct Located {
    Node node;
    DirEntry entry;   // unset for the root
    uint32_t parent;  // directory cluster holding the entry
  };
  struct Parent {
    uint32_t directory;  // cluster
    const char* name;
    size_t name_length;
  };
  Result<Located, Error> Find(const char* path);
  Result<Parent, Error> FindParent(const char* path);
  Result<uint32_t, Error> DirectoryCluster(const Node& node) const;
  Result<Node, Error> Create(const char* path, bool directory);
  Result<void, Error> CheckNotInside(uint32_t directory, uint32_t ancestor);

  // The last position a read or write reached in some chain, so sequential I/O continues
  // there instead of walking from the first cluster. Valid while nothing was freed since.
  struct ChainHint {
    uint32_t first_cluster = 0;
    uint32_t index = 0;
    uint32_t cluster = 0;
    uint64_t free_generation = 0;
  };

  Result<void, Error> WriteRange(Node& file, uint32_t offset, const uint8_t* data, uint32_t length);
  // Undoes a failed growth of `file` (whose changed copy is `grown`): frees the clusters it
  // allocated and keeps the old size. Returns the error to report.
  Error Abandon(Node& file, Node& grown, Error error);
  Result<void, Error> StoreEntry(const Node& node);
  // Walks the file's whole chain once before the first change (a loop or bad cluster is an
  // error before anything is written).
  Result<void, Error> CheckChain(Node& file);
  FatTimestamp Now();
  // Flushes the FAT cache and updates FSInfo: the end of every changing call.
  Result<void, Error> Sync();

  BlockDevice& device_;
  Clock& clock_;
  FatTable fat_;
  ChainHint chain_hint_;
  uint32_t fs_info_free_ = 0;
  uint32_t fs_info_next_ = 0;
};

}  // namespace hiillos::fat32
