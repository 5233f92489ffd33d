// services/root/unpack.h — UnpackInitfs: the initfs boot module (initfs.tar.zst) decompressed
// with lib/zstd into one frame root allocates, then validated and indexed as a ustar archive.
// Root serves that archive over initfs:// (docs/protocols/initfs.md).
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "lib/base/result.h"
#include "lib/ustar/archive.h"

namespace hiillos::root {

// The largest unpacked archive root accepts (a bound on what a corrupt header can ask for).
inline constexpr uint64_t kMaxUnpackedSize = uint64_t{256} << 20;

struct Unpacked {
  uint32_t frame;       // the archive's frame (all rights), mapped in root at archive_address
  const uint8_t* data;  // the archive bytes
  size_t size;
  ustar::Archive archive;
};

// Why unpacking failed, as one message ("zstd: content checksum mismatch").
struct UnpackError {
  char message[128];
};

// Maps the module frame read-only at `module_address`, decodes `module_size` bytes of it.
Result<Unpacked, UnpackError> UnpackInitfs(uint32_t memory, uint32_t vmem, uint32_t module_frame,
                                           uint64_t module_size, uint64_t module_address,
                                           uint64_t archive_address);

}  // namespace hiillos::root
