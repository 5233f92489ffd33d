// kernel/object/device_memory.cc — DeviceMemory: the boot-time copy of the firmware map, range
// checks, device frames.
#include "kernel/object/device_memory.h"

#include "kernel/arch/device_memory.h"
#include "kernel/mm/object_allocator.h"
#include "lib/base/placement_new.h"

namespace hiillos::object {
namespace {

// Written by CreateAuthority during boot (one CPU, before user space), read-only afterwards.
uapi::MemoryRange g_map[uapi::kMaxMemoryRanges];
size_t g_map_count = 0;

}  // namespace

KResult<Ref<DeviceMemory>> DeviceMemory::CreateAuthority(const uapi::BootInfo& info) {
  size_t count = info.memory_range_count;
  if (count > uapi::kMaxMemoryRanges) count = uapi::kMaxMemoryRanges;
  for (size_t i = 0; i < count; ++i) g_map[i] = info.memory_map[i];
  g_map_count = count;
  auto storage = mm::ObjectAlloc(sizeof(DeviceMemory));
  if (!storage.ok()) return Err(uapi::Status::kOutOfMemory);
  return AdoptRef(new (storage.value()) DeviceMemory());
}

void DeviceMemory::Destroy(DeviceMemory* authority) {
  authority->~DeviceMemory();
  mm::ObjectFree(authority, sizeof(DeviceMemory));
}

uapi::Status DeviceMemory::CheckRange(uint64_t phys, uint64_t size) {
  switch (CheckDeviceRange(g_map, g_map_count, phys, size)) {
    case DeviceRangeVerdict::kInvalid:
      return uapi::Status::kInvalidArgument;
    case DeviceRangeVerdict::kRam:
      return uapi::Status::kPermissionDenied;
    case DeviceRangeVerdict::kDevice:
      break;
  }
  if (arch::KernelOwnsDeviceRange(phys, size)) return uapi::Status::kPermissionDenied;
  return uapi::Status::kOk;
}

KResult<Ref<Frame>> DeviceMemory::CreateFrame(const Ref<Memory>& memory, uint64_t phys,
                                              uint64_t size) {
  return Frame::CreateDevice(memory, phys, size);
}

}  // namespace hiillos::object
