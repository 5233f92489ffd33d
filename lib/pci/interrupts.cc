// lib/pci/interrupts.cc — command register, MSI and MSI-X programming.
#include "lib/pci/interrupts.h"

namespace hiillos::pci {
namespace {

constexpr uint16_t kMsiControlEnable = 1u << 0;
constexpr uint16_t kMsiControlEnabledShift = 4;  // Multiple Message Enable, bits 6:4
constexpr uint16_t kMsiControlEnabledMask = 0x7 << kMsiControlEnabledShift;
constexpr uint16_t kMsixControlFunctionMask = 1u << 14;
constexpr uint16_t kMsixControlEnable = 1u << 15;
constexpr uint32_t kMsixEntryDwords = 4;
constexpr uint32_t kMsixVectorControlMasked = 1u << 0;

void UpdateCommand(ConfigSpace& config, FunctionAddress address, uint16_t set) {
  config.Write16(address, kRegCommand, config.Read16(address, kRegCommand) | set);
}

}  // namespace

void EnableDecoding(ConfigSpace& config, FunctionAddress address, bool memory, bool bus_master) {
  UpdateCommand(config, address,
                (memory ? kCommandMemorySpace : 0) | (bus_master ? kCommandBusMaster : 0));
}

Result<void, Error> ProgramMsi(ConfigSpace& config, FunctionAddress address,
                               const MsiCapability& msi, uint64_t message_address, uint16_t data,
                               uint8_t vectors_log2) {
  if (vectors_log2 > msi.max_vectors_log2) return Err(Error::kVectorOutOfRange);
  if ((message_address >> 32) != 0 && !msi.is_64bit) return Err(Error::kAddressNotReachable);
  if (message_address & 3) return Err(Error::kMisalignedAddress);
  uint16_t control = config.Read16(address, msi.ControlOffset());
  control &= ~uint16_t{kMsiControlEnable | kMsiControlEnabledMask};
  config.Write16(address, msi.ControlOffset(), control);
  config.Write32(address, msi.AddressOffset(), static_cast<uint32_t>(message_address));
  if (msi.is_64bit) {
    config.Write32(address, msi.AddressOffset() + 4, static_cast<uint32_t>(message_address >> 32));
  }
  config.Write16(address, msi.DataOffset(), data);
  UpdateCommand(config, address, kCommandInterruptDisable);
  control |= static_cast<uint16_t>(vectors_log2 << kMsiControlEnabledShift) | kMsiControlEnable;
  config.Write16(address, msi.ControlOffset(), control);
  return Ok<Error>();
}

void DisableMsi(ConfigSpace& config, FunctionAddress address, const MsiCapability& msi) {
  const uint16_t control = config.Read16(address, msi.ControlOffset());
  config.Write16(address, msi.ControlOffset(), control & ~kMsiControlEnable);
}

Result<void, Error> SetMsiMask(ConfigSpace& config, FunctionAddress address,
                               const MsiCapability& msi, uint8_t vector, bool masked) {
  if (!msi.per_vector_masking) return Err(Error::kNoPerVectorMasking);
  if (vector >= (1u << msi.max_vectors_log2)) return Err(Error::kVectorOutOfRange);
  uint32_t bits = config.Read32(address, msi.MaskOffset());
  bits = masked ? bits | (1u << vector) : bits & ~(1u << vector);
  config.Write32(address, msi.MaskOffset(), bits);
  return Ok<Error>();
}

void EnableMsix(ConfigSpace& config, FunctionAddress address, const MsixCapability& msix) {
  UpdateCommand(config, address, kCommandInterruptDisable);
  uint16_t control = config.Read16(address, msix.ControlOffset());
  control = (control | kMsixControlEnable) & ~kMsixControlFunctionMask;
  config.Write16(address, msix.ControlOffset(), control);
}

void DisableMsix(ConfigSpace& config, FunctionAddress address, const MsixCapability& msix) {
  const uint16_t control = config.Read16(address, msix.ControlOffset());
  config.Write16(address, msix.ControlOffset(), control & ~kMsixControlEnable);
}

Result<void, Error> MsixTable::Program(uint16_t vector, uint64_t message_address, uint32_t data,
                                       bool masked) {
  if (vector >= table_size_) return Err(Error::kVectorOutOfRange);
  if (message_address & 3) return Err(Error::kMisalignedAddress);
  volatile uint32_t* entry = entries_ + vector * kMsixEntryDwords;
  entry[3] = entry[3] | kMsixVectorControlMasked;
  entry[0] = static_cast<uint32_t>(message_address);
  entry[1] = static_cast<uint32_t>(message_address >> 32);
  entry[2] = data;
  if (!masked) entry[3] = entry[3] & ~kMsixVectorControlMasked;
  return Ok<Error>();
}

Result<void, Error> MsixTable::SetMask(uint16_t vector, bool masked) {
  if (vector >= table_size_) return Err(Error::kVectorOutOfRange);
  volatile uint32_t* control = entries_ + vector * kMsixEntryDwords + 3;
  *control =
      masked ? (*control | kMsixVectorControlMasked) : (*control & ~kMsixVectorControlMasked);
  return Ok<Error>();
}

Result<bool, Error> MsixTable::IsMasked(uint16_t vector) const {
  if (vector >= table_size_) return Err(Error::kVectorOutOfRange);
  return (entries_[vector * kMsixEntryDwords + 3] & kMsixVectorControlMasked) != 0;
}

}  // namespace hiillos::pci
