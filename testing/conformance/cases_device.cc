// testing/conformance/cases_device.cc — DeviceMemoryCreateFrame, FrameDmaAddress, IrqMsiBind:
// the root's device-memory authority, device frames over non-RAM ranges (and the refusal of RAM
// and the kernel's own registers), physical addresses for DMA, MSI vectors bound to Notifies.
#include "testing/conformance/child.h"
#include "testing/conformance/harness.h"
#include "uapi/boot_info.h"
#include "uapi/rights.h"

namespace hiillos::conformance {
namespace {

using uapi::Rights;
using uapi::Status;

constexpr Handle kDevices = uapi::kRootDeviceMemoryHandle;
constexpr Handle kIrqAuthority = uapi::kRootIrqHandle;
constexpr uint64_t kPage = 0x1000;
// The first IOAPIC's registers (every x86 PC has one here; the kernel maps it for itself).
constexpr uint64_t kIoApicBase = 0xfec0'0000;
// Where this file maps device frames.
constexpr uint64_t kDeviceMapAddress = kScratchBase + 0x4000'0000;
constexpr uint64_t kMsiVectorCount = 16;

const Rights kHardwareRights = Rights::kRead | Rights::kWrite | Rights::kClone | Rights::kTransfer;
const Rights kDeviceFrameRights =
    Rights::kRead | Rights::kWrite | Rights::kMap | Rights::kClone | Rights::kTransfer;

bool IsRamKind(uapi::MemoryKind kind) {
  switch (kind) {
    case uapi::MemoryKind::kReserved:
    case uapi::MemoryKind::kAcpiReclaimable:
    case uapi::MemoryKind::kAcpiNvs:
    case uapi::MemoryKind::kFramebuffer:
    case uapi::MemoryKind::kMmio:
      return false;
    default:
      return true;
  }
}

// The first page above every RAM entry of the firmware map (the BootInfo copy the root has
// mapped): not RAM, so device memory (a hole, or MMIO).
uint64_t PageAboveRam() {
  const auto* info = reinterpret_cast<const uapi::BootInfo*>(uapi::kRootBootInfoAddress);
  uint64_t top = 0;
  for (uint32_t i = 0; i < info->memory_range_count && i < uapi::kMaxMemoryRanges; ++i) {
    const uapi::MemoryRange& range = info->memory_map[i];
    if (IsRamKind(range.kind) && range.base + range.size > top) top = range.base + range.size;
  }
  return (top + kPage - 1) & ~(kPage - 1);
}

CONFORMANCE_CASE(device_memory_root_authority) {
  auto info = rt::CapIdentify(kDevices);
  EXPECT_TRUE(info.ok() && info.value().type == uapi::ObjectType::kDeviceMemory &&
              info.value().rights == kHardwareRights);
}

CONFORMANCE_CASE(device_memory_create_frame) {
  const uint64_t phys = PageAboveRam();
  auto frame = rt::DeviceMemoryCreateFrame(kDevices, kMemory, phys, 2 * kPage);
  EXPECT_OK(frame);
  if (!frame.ok()) return;
  auto identity = rt::CapIdentify(frame.value());
  EXPECT_TRUE(identity.ok() && identity.value().type == uapi::ObjectType::kFrame &&
              identity.value().rights == kDeviceFrameRights);
  auto info = rt::FrameInfo(frame.value());
  EXPECT_TRUE(info.ok() && info.value().size_bytes == 2 * kPage &&
              info.value().device_phys == phys && info.value().mapped == 0);
  // It maps (uncached) and unmaps like any frame; a read of a hole or of MMIO does not fault.
  EXPECT_OK(rt::VmemMap(kOwnVmem, frame.value(), kDeviceMapAddress, uapi::kMapRead, kMemory));
  volatile const uint32_t* word = reinterpret_cast<volatile const uint32_t*>(kDeviceMapAddress);
  (void)*word;
  EXPECT_OK(rt::VmemUnmap(kOwnVmem, kDeviceMapAddress));
  // The DMA address of a device frame is its physical address.
  auto dma = rt::FrameDmaAddress(frame.value(), kDevices);
  EXPECT_TRUE(dma.ok() && dma.value() == phys);
  EXPECT_OK(rt::CapDelete(frame.value()));
}

CONFORMANCE_CASE(device_memory_refuses_ram_and_kernel_devices) {
  // RAM: a frame the suite owns, found through its DMA address.
  auto ram = rt::MemoryAllocFrame(kMemory, 0);
  EXPECT_OK(ram);
  if (!ram.ok()) return;
  auto phys = rt::FrameDmaAddress(ram.value(), kDevices);
  EXPECT_OK(phys);
  if (phys.ok()) {
    EXPECT_STATUS(rt::DeviceMemoryCreateFrame(kDevices, kMemory, phys.value(), kPage),
                  Status::kPermissionDenied);
    // A range that merely touches RAM is refused too.
    EXPECT_STATUS(rt::DeviceMemoryCreateFrame(kDevices, kMemory, phys.value(), 1ull << 40),
                  Status::kPermissionDenied);
  }
  EXPECT_OK(rt::CapDelete(ram.value()));
  EXPECT_STATUS(rt::DeviceMemoryCreateFrame(kDevices, kMemory, 0, kPage),
                Status::kPermissionDenied);  // low memory is RAM
  // The kernel's own IOAPIC.
  EXPECT_STATUS(rt::DeviceMemoryCreateFrame(kDevices, kMemory, kIoApicBase, kPage),
                Status::kPermissionDenied);
  EXPECT_STATUS(rt::DeviceMemoryCreateFrame(kDevices, kMemory, kIoApicBase - kPage, 2 * kPage),
                Status::kPermissionDenied);
}

CONFORMANCE_CASE(device_memory_create_frame_errors) {
  const uint64_t phys = PageAboveRam();
  EXPECT_STATUS(rt::DeviceMemoryCreateFrame(kDevices, kMemory, phys, 0), Status::kInvalidArgument);
  EXPECT_STATUS(rt::DeviceMemoryCreateFrame(kDevices, kMemory, phys + 8, kPage),
                Status::kInvalidArgument);
  EXPECT_STATUS(rt::DeviceMemoryCreateFrame(kDevices, kMemory, phys, kPage + 8),
                Status::kInvalidArgument);
  EXPECT_STATUS(rt::DeviceMemoryCreateFrame(kDevices, kMemory, ~uint64_t{0} & ~(kPage - 1), kPage),
                Status::kInvalidArgument);  // beyond physical addresses
  EXPECT_STATUS(rt::DeviceMemoryCreateFrame(kDevices, kMemory, phys, ~uint64_t{0} & ~(kPage - 1)),
                Status::kInvalidArgument);  // wraps
  EXPECT_STATUS(rt::DeviceMemoryCreateFrame(kDevices, kMemory, 1ull << 52, kPage),
                Status::kInvalidArgument);
  // Capabilities: kWrite on the authority and on the memory; types; handles.
  auto read_only = rt::CapDerive(kDevices, Rights::kRead);
  EXPECT_OK(read_only);
  if (read_only.ok()) {
    EXPECT_STATUS(rt::DeviceMemoryCreateFrame(read_only.value(), kMemory, phys, kPage),
                  Status::kMissingRights);
    EXPECT_OK(rt::CapDelete(read_only.value()));
  }
  auto weak_memory = rt::CapDerive(kMemory, Rights::kRead);
  EXPECT_OK(weak_memory);
  if (weak_memory.ok()) {
    EXPECT_STATUS(rt::DeviceMemoryCreateFrame(kDevices, weak_memory.value(), phys, kPage),
                  Status::kMissingRights);
    EXPECT_OK(rt::CapDelete(weak_memory.value()));
  }
  EXPECT_STATUS(rt::raw::DeviceMemoryCreateFrame(0, kMemory, phys, kPage),
                Status::kInvalidCapability);
  EXPECT_STATUS(rt::raw::DeviceMemoryCreateFrame(kMemory, kMemory, phys, kPage),
                Status::kWrongType);
  EXPECT_STATUS(rt::raw::DeviceMemoryCreateFrame(kDevices, kDevices, phys, kPage),
                Status::kWrongType);
  EXPECT_STATUS(rt::raw::DeviceMemoryCreateFrame(kDevices, 60000, phys, kPage),
                Status::kInvalidCapability);
}

CONFORMANCE_CASE(frame_dma_address) {
  auto a = rt::MemoryAllocFrame(kMemory, 1);
  auto b = rt::MemoryAllocFrame(kMemory, 0);
  EXPECT_OK(a);
  EXPECT_OK(b);
  if (!a.ok() || !b.ok()) return;
  auto pa = rt::FrameDmaAddress(a.value(), kDevices);
  auto pb = rt::FrameDmaAddress(b.value(), kDevices);
  EXPECT_OK(pa);
  EXPECT_OK(pb);
  if (pa.ok() && pb.ok()) {
    EXPECT_TRUE(pa.value() != 0 && (pa.value() & (2 * kPage - 1)) == 0);  // naturally aligned
    EXPECT_TRUE((pb.value() & (kPage - 1)) == 0);
    EXPECT_TRUE(pb.value() + kPage <= pa.value() || pa.value() + 2 * kPage <= pb.value());
  }
  // Read is enough on the authority (what a driver gets); kRead on the frame is needed.
  auto read_only = rt::CapDerive(kDevices, Rights::kRead);
  auto write_only = rt::CapDerive(kDevices, Rights::kWrite);
  auto map_only = rt::CapDerive(a.value(), Rights::kMap);
  EXPECT_OK(read_only);
  EXPECT_OK(write_only);
  EXPECT_OK(map_only);
  if (read_only.ok()) {
    auto again = rt::FrameDmaAddress(a.value(), read_only.value());
    EXPECT_TRUE(again.ok() && pa.ok() && again.value() == pa.value());
    EXPECT_OK(rt::CapDelete(read_only.value()));
  }
  if (write_only.ok()) {
    EXPECT_STATUS(rt::FrameDmaAddress(a.value(), write_only.value()), Status::kMissingRights);
    EXPECT_OK(rt::CapDelete(write_only.value()));
  }
  if (map_only.ok()) {
    EXPECT_STATUS(rt::FrameDmaAddress(map_only.value(), kDevices), Status::kMissingRights);
    EXPECT_OK(rt::CapDelete(map_only.value()));
  }
  EXPECT_STATUS(rt::raw::FrameDmaAddress(a.value(), kDevices, 0), Status::kBadAddress);
  EXPECT_STATUS(rt::raw::FrameDmaAddress(a.value(), kDevices, uapi::kRootBootInfoAddress),
                Status::kBadAddress);  // read-only
  uint64_t sink = 0;
  const uint64_t out = reinterpret_cast<uint64_t>(&sink);
  EXPECT_STATUS(rt::raw::FrameDmaAddress(0, kDevices, out), Status::kInvalidCapability);
  EXPECT_STATUS(rt::raw::FrameDmaAddress(kMemory, kDevices, out), Status::kWrongType);
  EXPECT_STATUS(rt::raw::FrameDmaAddress(a.value(), kMemory, out), Status::kWrongType);
  EXPECT_STATUS(rt::raw::FrameDmaAddress(a.value(), 60000, out), Status::kInvalidCapability);
  EXPECT_OK(rt::CapDelete(a.value()));
  EXPECT_OK(rt::CapDelete(b.value()));
}

CONFORMANCE_CASE(irq_msi_bind_ack_unbind) {
  auto notify = rt::MemoryAllocNotify(kMemory);
  EXPECT_OK(notify);
  if (!notify.ok()) return;
  Handle n = notify.value();
  uapi::MsiMessage first{};
  auto line = rt::IrqMsiBind(kIrqAuthority, kMemory, n, 0b100, &first);
  EXPECT_OK(line);
  if (line.ok()) {
    auto info = rt::CapIdentify(line.value());
    EXPECT_TRUE(info.ok() && info.value().type == uapi::ObjectType::kIrqLine &&
                info.value().rights == kHardwareRights);
    // The message raises the vector on a local APIC: address 0xfeeXXXXX, data = the vector.
    EXPECT_EQ(first.address & 0xfff0'0000u, 0xfee0'0000u);
    EXPECT_EQ(first.data, first.vector);
    EXPECT_TRUE(first.vector >= 0x20 && first.vector <= 0xff);
    // Acknowledging an MSI is allowed (nothing to unmask); an MSI line is not an authority.
    EXPECT_OK(rt::IrqLineAck(line.value()));
    uapi::MsiMessage other{};
    EXPECT_STATUS(rt::IrqMsiBind(line.value(), kMemory, n, 1, &other), Status::kInvalidArgument);
    EXPECT_STATUS(rt::IrqLineBind(line.value(), kMemory, 3, n, 1), Status::kInvalidArgument);
    // A second binding gets another vector.
    auto second = rt::IrqMsiBind(kIrqAuthority, kMemory, n, 1, &other);
    EXPECT_OK(second);
    EXPECT_TRUE(other.vector != first.vector);
    if (second.ok()) EXPECT_OK(rt::CapDelete(second.value()));
    // Deleting the last capability frees the vector: binding again gets it back.
    EXPECT_OK(rt::CapDelete(line.value()));
    auto again = rt::IrqMsiBind(kIrqAuthority, kMemory, n, 1, &other);
    EXPECT_OK(again);
    EXPECT_EQ(other.vector, first.vector);
    if (again.ok()) EXPECT_OK(rt::CapDelete(again.value()));
  }
  EXPECT_OK(rt::CapDelete(n));
}

CONFORMANCE_CASE(irq_msi_bind_exhaustion_and_errors) {
  auto notify = rt::MemoryAllocNotify(kMemory);
  EXPECT_OK(notify);
  if (!notify.ok()) return;
  Handle n = notify.value();
  Handle lines[kMsiVectorCount + 1] = {};
  uint64_t bound = 0;
  uapi::MsiMessage message{};
  for (uint64_t i = 0; i <= kMsiVectorCount; ++i) {
    auto line = rt::IrqMsiBind(kIrqAuthority, kMemory, n, 1, &message);
    if (!line.ok()) {
      EXPECT_STATUS(line, Status::kBusy);
      break;
    }
    lines[bound++] = line.value();
  }
  EXPECT_TRUE(bound > 0 && bound <= kMsiVectorCount);  // the vectors run out
  for (uint64_t i = 0; i < bound; ++i) EXPECT_OK(rt::CapDelete(lines[i]));
  // A bad output address fails the call and leaves no binding behind (the leak check sees
  // the charge; the next bind still succeeds).
  EXPECT_STATUS(rt::IrqMsiBind(kIrqAuthority, kMemory, n, 1, nullptr), Status::kBadAddress);
  EXPECT_STATUS(rt::IrqMsiBind(kIrqAuthority, kMemory, n, 1,
                               reinterpret_cast<uapi::MsiMessage*>(uapi::kRootBootInfoAddress)),
                Status::kBadAddress);
  EXPECT_STATUS(rt::IrqMsiBind(kIrqAuthority, kMemory, n, 0, &message), Status::kInvalidArgument);
  const uint64_t out = reinterpret_cast<uint64_t>(&message);
  EXPECT_STATUS(rt::raw::IrqMsiBind(0, kMemory, n, 1, out), Status::kInvalidCapability);
  EXPECT_STATUS(rt::raw::IrqMsiBind(kMemory, kMemory, n, 1, out), Status::kWrongType);
  EXPECT_STATUS(rt::raw::IrqMsiBind(kIrqAuthority, n, n, 1, out), Status::kWrongType);
  EXPECT_STATUS(rt::raw::IrqMsiBind(kIrqAuthority, kMemory, kMemory, 1, out), Status::kWrongType);
  auto read_only = rt::CapDerive(kIrqAuthority, Rights::kRead);
  auto no_signal = rt::CapDerive(n, Rights::kRead);
  EXPECT_OK(read_only);
  EXPECT_OK(no_signal);
  if (read_only.ok()) {
    EXPECT_STATUS(rt::IrqMsiBind(read_only.value(), kMemory, n, 1, &message),
                  Status::kMissingRights);
    EXPECT_OK(rt::CapDelete(read_only.value()));
  }
  if (no_signal.ok()) {
    EXPECT_STATUS(rt::IrqMsiBind(kIrqAuthority, kMemory, no_signal.value(), 1, &message),
                  Status::kMissingRights);
    EXPECT_OK(rt::CapDelete(no_signal.value()));
  }
  auto last = rt::IrqMsiBind(kIrqAuthority, kMemory, n, 1, &message);
  EXPECT_OK(last);
  if (last.ok()) EXPECT_OK(rt::CapDelete(last.value()));
  EXPECT_OK(rt::CapDelete(n));
}

}  // namespace
}  // namespace hiillos::conformance
