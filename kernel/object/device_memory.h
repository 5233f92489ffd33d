// kernel/object/device_memory.h — DeviceMemory: authority over the physical ranges that are not
// RAM (device_range.h says which), from which device frames are made.
//
// The root receives the only instance (kRootDeviceMemoryHandle). With kWrite,
// DeviceMemoryCreateFrame makes a device Frame (mapped uncached, FrameInfo.device_phys set)
// over any page-aligned device range except the kernel's own device registers; with kRead,
// FrameDmaAddress tells the physical address of any frame. A derived capability with only
// kRead is what a DMA-capable driver gets: it can learn where its buffers are, not map
// arbitrary MMIO (docs/objects.md, "DeviceMemory").
//
// Ownership: the authority is uncharged and immutable. The firmware memory map it checks
// against is copied once at boot (before user space runs) into kernel data and only read
// afterwards, so no lock. The frames it makes are ordinary Frame objects charged to the
// caller's Memory; they never free their pages (the kernel does not own them).
#pragma once

#include <stdint.h>

#include "kernel/object/device_range.h"
#include "kernel/object/frame.h"
#include "kernel/object/kernel_object.h"
#include "kernel/object/memory.h"
#include "kernel/object/ref.h"
#include "kernel/result/kresult.h"
#include "uapi/boot_info.h"
#include "uapi/object_type.h"

namespace hiillos::object {

class DeviceMemory : public KernelObject {
 public:
  static constexpr uapi::ObjectType kObjectType = uapi::ObjectType::kDeviceMemory;

  // The authority (kernel use: the root's capability; not charged). Records `info`'s memory
  // map for later checks. Errors: kOutOfMemory.
  static KResult<Ref<DeviceMemory>> CreateAuthority(const uapi::BootInfo& info);
  static void Destroy(DeviceMemory* authority);

  // DeviceMemoryCreateFrame's decode check: kOk, kInvalidArgument (empty, unaligned, wrapping,
  // beyond the physical limit) or kPermissionDenied (touches RAM or the kernel's devices).
  static uapi::Status CheckRange(uint64_t phys, uint64_t size);
  // A device frame over [phys, phys + size) (CheckRange passed), charged to `memory`.
  // Errors: kOutOfMemory.
  static KResult<Ref<Frame>> CreateFrame(const Ref<Memory>& memory, uint64_t phys, uint64_t size);

 private:
  DeviceMemory() : KernelObject(kObjectType) {}
  ~DeviceMemory() = default;
};

}  // namespace hiillos::object
