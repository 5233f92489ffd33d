// kernel/object/frame.h — Frame: physically contiguous memory, the only object a Vmem maps.
//
// Two kinds:
//   - RAM frames, 0x1000 << order bytes, allocated zeroed from the PMM (PageUse::kUser) and
//     charged to a Memory; their pages go back to the PMM when the frame is destroyed.
//   - physical frames over memory the kernel hands out but does not own (device MMIO, the
//     framebuffer, boot modules): any whole number of pages, never freed. Device frames are
//     mapped uncached and report their physical address (FrameInfo::device_phys).
//
// Ownership: references (capability slots and every mapping of it: a mapped frame lives at
// least as long as the mapping). Immutable after creation, so no lock.
#pragma once

#include <stdint.h>

#include "kernel/object/bounded_value.h"
#include "kernel/object/kernel_object.h"
#include "kernel/object/memory.h"
#include "kernel/object/ref.h"
#include "kernel/result/kresult.h"
#include "lib/base/result.h"
#include "uapi/object_type.h"
#include "uapi/status.h"
#include "uapi/syscalls.h"

namespace hiillos::object {

class Frame : public KernelObject {
 public:
  static constexpr uapi::ObjectType kObjectType = uapi::ObjectType::kFrame;

  enum class Kind : uint8_t {
    kRam,       // owned RAM, freed with the frame
    kDevice,    // MMIO or framebuffer: uncached, physical address visible
    kBorrowed,  // RAM the kernel does not manage (boot modules): cached, never freed
  };

  // A zeroed RAM frame of 0x1000 << order bytes; charges the frame and the object to `memory`.
  // Errors: kOutOfMemory (budget or PMM).
  static KResult<Ref<Frame>> Create(const Ref<Memory>& memory, FrameOrder order);
  // A frame over [phys, phys + size) (kDevice or kBorrowed; kernel use only, not charged).
  // Errors: kInvalidArgument (unaligned, empty, overflowing or kind kRam), kOutOfMemory.
  static KResult<Ref<Frame>> CreatePhysical(uint64_t phys, uint64_t size, Kind kind);
  // A kDevice frame over [phys, phys + size) for user space (DeviceMemory checked the range);
  // the object is charged to `memory`. Errors: kInvalidArgument (as CreatePhysical),
  // kOutOfMemory.
  static KResult<Ref<Frame>> CreateDevice(const Ref<Memory>& memory, uint64_t phys, uint64_t size);
  static void Destroy(Frame* frame);

  uint64_t phys() const { return phys_; }
  uint64_t size() const { return size_; }
  Kind kind() const { return kind_; }
  // Kernel pointer to the contents through the HHDM (RAM and borrowed frames).
  void* KernelPointer() const;
  // `mapped` is the capability's own state (kept in its slot).
  uapi::FrameInfo Info(bool mapped) const {
    return {size_, kind_ == Kind::kDevice ? phys_ : 0, mapped ? 1u : 0u};
  }

 private:
  Frame(uint64_t phys, uint64_t size, Kind kind, unsigned order, MemoryCharge charge)
      : KernelObject(kObjectType),
        phys_(phys),
        size_(size),
        kind_(kind),
        order_(order),
        charge_(Move(charge)) {}
  ~Frame() = default;

  const uint64_t phys_;
  const uint64_t size_;
  const Kind kind_;
  const unsigned order_;  // RAM frames: the PMM order to free
  MemoryCharge charge_;
};

}  // namespace hiillos::object
