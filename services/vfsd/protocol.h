// services/vfsd/protocol.h — the vfs protocol: what vfsd serves to its clients over IPC (the
// fs:// namespace), and the error codes fsd.fat32 uses towards vfsd too. Defined once here for
// clients, vfsd and the host tests; docs/protocols/vfs.md describes it in prose.
//
// A session is one Sender to vfsd (the badge names the client). Paths and bulk data travel
// through one shared frame per session: the client attaches it once (kAttachBuffer) and names
// byte ranges inside it (paths are not NUL-terminated: offset + length).
#pragma once

#include <stdint.h>

namespace hiillos::vfs {

// w0 of a request.
enum class Op : uint64_t {
  // One or two capabilities: a Frame (Read, Write, Map), and optionally the session's lease: a
  // Sender to a Receiver the client keeps and never receives on. When that Receiver closes (the
  // client died), vfsd ends the session: its handles are closed and its buffer dropped.
  // -> w1 the frame's size in bytes.
  kAttachBuffer = 1,
  // w1 path offset, w2 path length, w3 flags (kOpen*). -> w1 handle, w2 size, w3 1 for a
  // directory. The position starts at 0.
  kOpen = 2,
  // w1 handle, w2 buffer offset, w3 length. Reads at the handle's position and advances it.
  // -> w1 bytes read (0 at the end of the file).
  kRead = 3,
  // As kRead; writes at the position (extending the file) and advances it. -> w1 bytes written.
  kWrite = 4,
  // w1 handle, w2 offset (two's complement for kSeekCurrent/kSeekEnd), w3 whence.
  // -> w1 the new position.
  kSeek = 5,
  // w1 path offset, w2 path length. -> w1 size, w2 1 for a directory, w3 modification time
  // (seconds since 1970, UTC).
  kStat = 6,
  // w1 handle of an open directory, w2 buffer offset, w3 capacity. Writes the next entry's name
  // there. -> w1 1 when an entry was written (0 at the end), w2 its size, w3 1 for a directory,
  // w4 the name's length.
  kReadDir = 7,
  // w1 path offset, w2 path length.
  kMkdir = 8,
  // w1 path offset, w2 path length: a file or an empty directory.
  kUnlink = 9,
  // w1 from offset, w2 from length, w3 to offset, w4 to length (same mount).
  kRename = 10,
  // w1 handle.
  kClose = 11,
  // w1 mount point offset, w2 its length, w3 spec offset, w4 spec length. The spec is
  // "DEVICE TYPE" as in /etc/fstab ("ram0 fat32"). The driver starts on first use.
  kMount = 12,
  // w1 mount point offset, w2 its length. Stops the mount's driver (it writes everything back).
  kUnmount = 13,
  // -> w1 open handles (all sessions), w2 sessions with a buffer, w3 sessions ended because
  // their lease ended, w4 the caller's open handles, w5 file-system driver starts so far.
  kStats = 14,
  // w1 mount point offset, w2 its length. Session 0 only (the badge of whoever started vfsd: the
  // supervisor). Kills the mount's driver process outright, as a crash would (nothing written
  // back): the next request on the mount gets kDriverUnavailable, the one after starts a new
  // driver. For fault-injection tests and a driver that stopped answering. kOk also when no
  // driver was running; kNotMounted, kBadRequest (another session).
  kKillDriver = 15,
};

// Open handles one session may hold at a time (kTooManyOpen beyond).
inline constexpr uint64_t kMaxOpenPerSession = 32;

inline constexpr uint64_t kOpenCreate = 1;     // create the file when it does not exist
inline constexpr uint64_t kOpenTruncate = 2;   // cut an existing file to 0 bytes
inline constexpr uint64_t kOpenExclusive = 4;  // with kOpenCreate: kExists when it exists

inline constexpr uint64_t kSeekSet = 0;
inline constexpr uint64_t kSeekCurrent = 1;
inline constexpr uint64_t kSeekEnd = 2;

// w0 of a reply (vfsd to clients, and fsd.fat32 to vfsd).
enum class Error : uint64_t {
  kOk = 0,
  kBadRequest = 1,          // unknown op, bad flags or whence, missing or wrong capability
  kNoBuffer = 2,            // a path or data operation before kAttachBuffer
  kOutOfRange = 3,          // bytes beyond the buffer (overflow-checked), seek before 0
  kBadPath = 4,             // not a valid path (lib/path rules, FAT name rules)
  kNotFound = 5,            // no such file or directory
  kExists = 6,              // the name is taken
  kNotADirectory = 7,       // a path component or the target is a file
  kIsADirectory = 8,        // a file operation on a directory
  kNotEmpty = 9,            // unlink of a directory with entries
  kNoSpace = 10,            // the volume is full (or the directory cannot grow)
  kBadHandle = 11,          // no open handle with that number
  kTooManyOpen = 12,        // the open-handle table is full
  kNoMount = 13,            // no mount serves the path
  kCorrupt = 14,            // the volume is corrupt (the driver logged why)
  kDriverUnavailable = 15,  // the mount's driver could not start, or died
  kIoError = 16,            // the block device failed
  kFileTooLarge = 17,       // beyond the file system's limit (4 GiB - 1 on FAT32)
  kInvalidRename = 18,      // a directory into itself, the root, or across mounts
  kBusy = 19,               // unmount while files are open there
  kAlreadyMounted = 20,     // mount on a point that has one
  kNotMounted = 21,         // unmount where nothing is mounted
  kNoDevice = 22,           // mount of a device or file-system type vfsd does not know
  kReadOnly = 23,           // a change in a read-only namespace (initfs://)
};

[[nodiscard]] constexpr const char* ErrorName(Error error) {
  switch (error) {
    case Error::kOk:
      return "ok";
    case Error::kBadRequest:
      return "bad request";
    case Error::kNoBuffer:
      return "no buffer attached";
    case Error::kOutOfRange:
      return "out of range";
    case Error::kBadPath:
      return "bad path";
    case Error::kNotFound:
      return "not found";
    case Error::kExists:
      return "exists";
    case Error::kNotADirectory:
      return "not a directory";
    case Error::kIsADirectory:
      return "is a directory";
    case Error::kNotEmpty:
      return "directory not empty";
    case Error::kNoSpace:
      return "no space";
    case Error::kBadHandle:
      return "bad handle";
    case Error::kTooManyOpen:
      return "too many open files";
    case Error::kNoMount:
      return "no mount";
    case Error::kCorrupt:
      return "corrupt volume";
    case Error::kDriverUnavailable:
      return "driver unavailable";
    case Error::kIoError:
      return "I/O error";
    case Error::kFileTooLarge:
      return "file too large";
    case Error::kInvalidRename:
      return "invalid rename";
    case Error::kBusy:
      return "busy";
    case Error::kAlreadyMounted:
      return "already mounted";
    case Error::kNotMounted:
      return "not mounted";
    case Error::kNoDevice:
      return "no such device or type";
    case Error::kReadOnly:
      return "read-only";
  }
  return "unknown error";
}

}  // namespace hiillos::vfs
