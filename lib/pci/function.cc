// lib/pci/function.cc — header decode of one function and MSI-X structure location.
#include "lib/pci/function.h"

#include "lib/base/checked.h"

namespace hiillos::pci {
namespace {

constexpr uint64_t kMsixEntrySize = 16;

Result<MsixStructure, Error> Locate(const Function& function, uint8_t bar_index, uint64_t offset,
                                    uint64_t size) {
  if (bar_index >= function.bar_count) return Err(Error::kBadMsixBar);
  const Bar& bar = function.bars[bar_index];
  if (bar.kind != BarKind::kMemory32 && bar.kind != BarKind::kMemory64) {
    return Err(Error::kBadMsixBar);
  }
  if (!RangeInside(offset, size, bar.size)) return Err(Error::kBarOutOfRange);
  if (bar.base == 0) return Err(Error::kBarUnassigned);
  uint64_t phys = 0;
  if (!CheckedAdd(bar.base, offset, &phys)) return Err(Error::kBarOutOfRange);
  return MsixStructure{.bar = bar_index, .offset = offset, .size = size, .phys = phys};
}

constexpr uint16_t kMsiEnable = 1u << 0;    // MSI Message Control
constexpr uint16_t kMsixEnable = 1u << 15;  // MSI-X Message Control

}  // namespace

void DecodeFunction(ConfigSpace& config, FunctionAddress address, Function& out) {
  out = Function{};
  out.address = address;
  out.vendor_id = config.Read16(address, kRegVendorId);
  out.device_id = config.Read16(address, kRegDeviceId);
  out.revision = config.Read8(address, kRegRevision);
  out.prog_if = config.Read8(address, kRegProgIf);
  out.subclass = config.Read8(address, kRegSubclass);
  out.class_code = config.Read8(address, kRegClass);
  const uint8_t header = config.Read8(address, kRegHeaderType);
  out.header_type = header & kHeaderTypeMask;
  out.multi_function = (header & kHeaderMultiFunction) != 0;
  out.interrupt_line = config.Read8(address, kRegInterruptLine);
  out.interrupt_pin = config.Read8(address, kRegInterruptPin);
  out.bar_count = BarCount(out.header_type);
  if (out.header_type == kHeaderTypeBridge) {
    out.secondary_bus = config.Read8(address, kRegSecondaryBus);
    out.subordinate_bus = config.Read8(address, kRegSubordinateBus);
  }
  // Types 0 and 1 keep the capability pointer at 0x34; CardBus and unknown types are not walked.
  if (out.header_type == kHeaderTypeDevice || out.header_type == kHeaderTypeBridge) {
    auto walked = ReadCapabilities(config, address, out.bar_count, out.capabilities);
    if (!walked.ok()) {
      out.capabilities_ok = false;
      out.capabilities_error = walked.error();
    }
  }
  const MsiCapability& msi = out.capabilities.msi;
  const MsixCapability& msix = out.capabilities.msix;
  out.held = (msi.present && (config.Read16(address, msi.ControlOffset()) & kMsiEnable) != 0) ||
             (msix.present && (config.Read16(address, msix.ControlOffset()) & kMsixEnable) != 0);
  if (!out.held) SizeBars(config, address, out.bar_count, out.bars);
}

Result<MsixStructure, Error> LocateMsixTable(const Function& function) {
  const MsixCapability& msix = function.capabilities.msix;
  if (!msix.present) return Err(Error::kBadMsixBar);
  return Locate(function, msix.table_bar, msix.table_offset, msix.table_size * kMsixEntrySize);
}

Result<MsixStructure, Error> LocateMsixPba(const Function& function) {
  const MsixCapability& msix = function.capabilities.msix;
  if (!msix.present) return Err(Error::kBadMsixBar);
  // One pending bit per entry, in whole qwords.
  return Locate(function, msix.pba_bar, msix.pba_offset, (msix.table_size + 63u) / 64u * 8u);
}

}  // namespace hiillos::pci
