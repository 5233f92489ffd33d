// services/pcid/device_mapper.cc — DeviceMapper: the bump window, device frames, DMA frames.
#include "services/pcid/device_mapper.h"

#include "services/lib/syscalls.h"
#include "uapi/syscalls.h"

namespace hiillos::pcid {
namespace {

constexpr uint64_t kPage = 0x1000;
constexpr uint64_t kMaxAlignment = 2ull << 20;

}  // namespace

Result<uint64_t, uapi::Status> DeviceMapper::Reserve(uint64_t size) {
  uint64_t align = kPage;
  while (align < kMaxAlignment && align * 2 <= size) align *= 2;
  uint64_t start = (next_ + align - 1) & ~(align - 1);
  if (start < next_ || start > end_ || size > end_ - start) {
    return Err(uapi::Status::kOutOfMemory);
  }
  next_ = start + size;
  return start;
}

Result<volatile uint8_t*, uapi::Status> DeviceMapper::MapPhys(uint64_t phys, uint64_t size,
                                                              uint32_t* frame) {
  const uint64_t first = phys & ~(kPage - 1);
  const uint64_t end = (phys + size + kPage - 1) & ~(kPage - 1);
  if (size == 0 || end <= first) return Err(uapi::Status::kInvalidArgument);
  const uint32_t handle = TRY(rt::DeviceMemoryCreateFrame(devices_, memory_, first, end - first));
  auto mapped = MapFrame(handle, true);
  if (!mapped.ok()) {
    (void)rt::CapDelete(handle);
    return Err(mapped.error());
  }
  if (frame != nullptr) *frame = handle;
  return mapped.value() + (phys - first);
}

Result<volatile uint8_t*, uapi::Status> DeviceMapper::MapFrame(uint32_t frame, bool writable) {
  const uapi::FrameInfo info = TRY(rt::FrameInfo(frame));
  const uint64_t address = TRY(Reserve(info.size_bytes));
  const uint64_t flags = uapi::kMapRead | (writable ? uapi::kMapWrite : 0);
  TRY(rt::VmemMap(vmem_, frame, address, flags, memory_));
  return reinterpret_cast<volatile uint8_t*>(address);
}

Result<DmaBuffer, uapi::Status> DeviceMapper::AllocateDma(unsigned order) {
  const uint32_t frame = TRY(rt::MemoryAllocFrame(memory_, order));
  auto phys = rt::FrameDmaAddress(frame, devices_);
  if (!phys.ok()) {
    (void)rt::CapDelete(frame);
    return Err(phys.error());
  }
  auto mapped = MapFrame(frame, true);
  if (!mapped.ok()) {
    (void)rt::CapDelete(frame);
    return Err(mapped.error());
  }
  // RAM frames come zeroed; the mapping is ordinary cached memory (x86 DMA is coherent).
  return DmaBuffer{frame, const_cast<uint8_t*>(mapped.value()), phys.value(), kPage << order};
}

}  // namespace hiillos::pcid
