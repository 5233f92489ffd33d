// services/root/initfs/protocol.h — the initfs:// protocol (docs/protocols/initfs.md): the
// operations root serves over IPC, as typed request/reply payloads (services/lib/ipc). Used by
// root's server loop, by every client (proc, init, tests) and by host tests.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "services/lib/ipc/message.h"

namespace hiillos::initfs::protocol {

// Reply statuses (w0): 0 ok; uapi::Status values from the IPC helper (kInvalidSyscall: unknown
// operation) and from root (kInvalidArgument: a frame that cannot be used, kOutOfMemory);
// kErrorBase + initfs::Error (services/root/initfs/error.h) for the service's own errors.
inline constexpr uint64_t kErrorBase = 0x100;
inline constexpr uint64_t StatusOf(uint8_t initfs_error) {
  return kErrorBase + initfs_error;
}

inline constexpr size_t kMaxPath = 256;          // bytes, NUL padded (need not be terminated)
inline constexpr size_t kInlineReadBytes = 280;  // a Read without a frame returns at most this

enum NodeType : uint64_t { kFile = 0, kDirectory = 1, kSymlink = 2 };

// Open a file or directory: an initfs:// URL or an absolute path.
struct Open {
  static constexpr uint64_t kCode = 1;
  struct Request {
    char path[kMaxPath];
  };
  struct Reply {
    uint64_t handle;
    uint64_t type;  // NodeType
    uint64_t size;  // bytes of a file
  };
};

// Read from `offset`. With a frame capability attached (copied with Read + Write + Map, at most
// one), root writes up to min(length, frame size) bytes at the frame's start and deletes its copy;
// without one it returns up to min(length, kInlineReadBytes) bytes in the reply. `bytes` is 0 at
// or past the end.
struct Read {
  static constexpr uint64_t kCode = 2;
  struct Request {
    uint64_t handle;
    uint64_t offset;
    uint64_t length;
  };
  struct Reply {
    uint64_t bytes;
    uint8_t data[kInlineReadBytes];  // inline reads only
  };
};

struct Stat {
  static constexpr uint64_t kCode = 3;
  struct Request {
    uint64_t handle;
  };
  struct Reply {
    uint64_t type;  // NodeType
    uint64_t size;
    uint64_t mode;
    uint64_t mtime;
  };
};

// The index-th entry of an open directory (archive order, each name once).
struct ReadDir {
  static constexpr uint64_t kCode = 4;
  struct Request {
    uint64_t handle;
    uint64_t index;
  };
  struct Reply {
    uint64_t type;  // NodeType
    uint64_t size;
    char name[kMaxPath];  // one component, NUL padded
  };
};

struct Close {
  static constexpr uint64_t kCode = 5;
  struct Request {
    uint64_t handle;
  };
  struct Reply {
    uint64_t unused;
  };
};

static_assert(ipc::Operation<Open> && ipc::Operation<Read> && ipc::Operation<Stat> &&
              ipc::Operation<ReadDir> && ipc::Operation<Close>);

}  // namespace hiillos::initfs::protocol
