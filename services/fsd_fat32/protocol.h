// services/fsd_fat32/protocol.h — the file-system driver protocol: what fsd.fat32 (and any
// later file-system driver) serves to vfsd. Paths are already normalised by vfsd and relative
// to the mount's root ("/a/b"); handles are the driver's own; positions are kept by vfsd, so
// reads and writes carry the file offset. Errors are vfs::Error (services/vfsd/protocol.h).
// docs/protocols/vfs.md ("Driver protocol") describes it in prose.
//
// vfsd starts the driver with capabilities "endpoint" (its Receiver), "buffer" (a frame shared
// with vfsd for paths and data) and "block" (a Sender to a block driver, services/block).
#pragma once

#include <stdint.h>

#include "services/vfsd/protocol.h"

namespace hiillos::fsd {

using vfs::Error;

enum class Op : uint64_t {
  // w1 path offset, w2 path length, w3 flags (vfs::kOpen*). -> w1 handle, w2 size, w3 1 for a
  // directory.
  kOpen = 1,
  // w1 handle, w2 file offset, w3 buffer offset, w4 length. -> w1 bytes read.
  kRead = 2,
  // As kRead. -> w1 bytes written, w2 the file's new size.
  kWrite = 3,
  // w1 path offset, w2 path length. -> w1 size, w2 1 for a directory, w3 modification time.
  kStat = 4,
  // w1 handle (a directory), w2 entry index, w3 buffer offset, w4 capacity. -> w1 1 when entry
  // `index` exists (its name written to the buffer), w2 size, w3 1 for a directory, w4 name
  // length.
  kReadDir = 5,
  // w1 path offset, w2 path length.
  kMkdir = 6,
  kUnlink = 7,
  // w1 from offset, w2 from length, w3 to offset, w4 to length.
  kRename = 8,
  // w1 handle.
  kClose = 9,
  // Writes everything back, replies, and exits with code 0.
  kShutdown = 10,
};

}  // namespace hiillos::fsd
