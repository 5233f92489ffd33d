// services/block/protocol.h — the block protocol: what a block driver (virtio-blk, the RAM-disk
// test driver) serves to its clients (fsd.fat32) over IPC. Defined once here for both sides;
// docs/protocols/block.md describes it in prose.
//
// A session is one Sender to the driver (its badge names the client). Data moves through one
// shared frame per session: the client allocates it from its own Memory and attaches it once;
// reads and writes name byte ranges inside it, so no sector data travels in messages. The
// driver serves one attached buffer at a time (the last kAttachBuffer wins); each attachment
// has an id that reads and writes carry, so a client whose buffer was replaced (say a dying
// fsd.fat32 next to its successor on the same Sender) gets kNoBuffer instead of reading into or
// writing from its successor's buffer.
#pragma once

#include <stdint.h>

namespace hiillos::block {

inline constexpr uint64_t kSectorSize = 512;

// w0 of a request.
enum class Op : uint64_t {
  // -> w1 sector_size (512), w2 sector_count, w3 flags (kReadOnly, kFlushSupported),
  //    w4 max_sectors_per_request.
  kInfo = 1,
  // One capability: a Frame (moved or copied with Read, Write, Map). The driver maps it and
  // keeps it until the session's Sender is gone or another frame is attached.
  // -> w1 the frame's size in bytes, w2 the attachment's id (never 0, never repeated by this
  //    driver instance, and above every id an earlier instance handed out).
  kAttachBuffer = 2,
  // w1 first sector, w2 sector count, w3 byte offset in the buffer (a multiple of 512), w4 the
  // attachment id kAttachBuffer returned.
  kRead = 3,
  kWrite = 4,
  // Completes after every write acknowledged before it reached the device.
  kFlush = 5,
};

// w0 of a reply.
enum class Error : uint64_t {
  kOk = 0,
  kBadRequest = 1,   // unknown op, zero count, misaligned offset, wrong capability
  kNoBuffer = 2,     // read or write before kAttachBuffer, or naming a replaced attachment
  kOutOfRange = 3,   // sectors beyond the disk, or bytes beyond the buffer (overflow-checked)
  kReadOnly = 4,     // write to a read-only disk
  kUnsupported = 5,  // flush without device support
  kIoError = 6,      // the device reported an error
  kDeviceError = 7,  // the device broke its protocol; the driver reset it
  kNoDevice = 8,     // the driver found no disk to serve (it answers every request so)
};

inline constexpr uint64_t kFlagReadOnly = 1;
inline constexpr uint64_t kFlagFlushSupported = 2;

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
    case Error::kReadOnly:
      return "read-only";
    case Error::kUnsupported:
      return "unsupported";
    case Error::kIoError:
      return "I/O error";
    case Error::kDeviceError:
      return "device error";
    case Error::kNoDevice:
      return "no device";
  }
  return "unknown error";
}

}  // namespace hiillos::block
