// services/root/unpack.cc — UnpackInitfs: map the module, size and allocate, zstd, ustar.
#include "services/root/unpack.h"

#include <stdarg.h>

#include "lib/format/format.h"
#include "lib/zstd/decompress.h"
#include "services/lib/syscalls.h"
#include "uapi/syscalls.h"

namespace hiillos::root {
namespace {

zstd::Workspace g_workspace;  // ~150 KiB of .bss, used once

UnpackError Message(const char* fmt, ...) __attribute__((format(printf, 1, 2)));
UnpackError Message(const char* fmt, ...) {
  UnpackError error;
  va_list args;
  va_start(args, fmt);
  format::VFormatToBuffer(error.message, sizeof(error.message), fmt, args);
  va_end(args);
  return error;
}

unsigned OrderFor(uint64_t bytes) {
  unsigned order = 0;
  while ((uint64_t{0x1000} << order) < bytes) ++order;
  return order;
}

}  // namespace

Result<Unpacked, UnpackError> UnpackInitfs(uint32_t memory, uint32_t vmem, uint32_t module_frame,
                                           uint64_t module_size, uint64_t module_address,
                                           uint64_t archive_address) {
  auto frame_info = rt::FrameInfo(module_frame);
  if (!frame_info.ok()) {
    return Err(Message("no module frame (%s)", uapi::StatusName(frame_info.error())));
  }
  if (module_size > frame_info.value().size_bytes) {
    return Err(Message("module size %lu exceeds its frame", module_size));
  }
  if (auto mapped = rt::VmemMap(vmem, module_frame, module_address, uapi::kMapRead, memory);
      !mapped.ok()) {
    return Err(Message("cannot map the module (%s)", uapi::StatusName(mapped.error())));
  }
  const auto* compressed = reinterpret_cast<const uint8_t*>(module_address);
  auto content_size = zstd::ContentSize(compressed, module_size);
  if (!content_size.ok()) return Err(Message("zstd: %s", zstd::ErrorName(content_size.error())));
  const uint64_t size = content_size.value();
  if (size > kMaxUnpackedSize) {
    return Err(Message("unpacked size %lu exceeds the limit of %lu bytes", size, kMaxUnpackedSize));
  }
  const unsigned order = OrderFor(size);
  auto frame = rt::MemoryAllocFrame(memory, order);
  if (!frame.ok()) {
    return Err(
        Message("no memory for %lu unpacked bytes (%s)", size, uapi::StatusName(frame.error())));
  }
  const uint32_t archive_frame = frame.value();
  auto fail = [&](UnpackError error) -> Result<Unpacked, UnpackError> {
    (void)rt::VmemUnmap(vmem, archive_address);
    (void)rt::CapDelete(archive_frame);
    return Err(error);
  };
  if (auto mapped = rt::VmemMap(vmem, archive_frame, archive_address,
                                uapi::kMapRead | uapi::kMapWrite, memory);
      !mapped.ok()) {
    return fail(Message("cannot map the archive frame (%s)", uapi::StatusName(mapped.error())));
  }
  auto* out = reinterpret_cast<uint8_t*>(archive_address);
  auto written = zstd::Decompress(compressed, module_size, out, size, g_workspace);
  if (!written.ok()) return fail(Message("zstd: %s", zstd::ErrorName(written.error())));
  if (written.value() != size) {
    return fail(Message("zstd: %lu bytes decoded, %lu recorded", written.value(), size));
  }
  auto archive = ustar::Archive::Open(out, size);
  if (!archive.ok()) return fail(Message("ustar: %s", ustar::ErrorName(archive.error())));
  (void)rt::VmemUnmap(vmem, module_address);  // the compressed bytes are no longer needed
  return Unpacked{archive_frame, out, size, archive.value()};
}

}  // namespace hiillos::root
