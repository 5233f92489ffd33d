// lib/pci/config_space.h — the abstract configuration-space accessor every PCI operation goes
// through, function addresses, and the register offsets of the common header (PCI Local Bus
// 3.0 §6.1, PCIe base 6.0 §7.5.1).
//
// pcid implements ConfigSpace over its mapped ECAM windows (EcamConfigSpace); tests and the
// fuzzer over a simulated space. The library only calls it with naturally aligned offsets below
// kConfigSpaceSize and with device < 32, function < 8.
#pragma once

#include <stdint.h>

namespace hiillos::pci {

inline constexpr uint16_t kConfigSpaceSize = 4096;  // PCIe extended configuration space
inline constexpr uint8_t kDevicesPerBus = 32;
inline constexpr uint8_t kFunctionsPerDevice = 8;

struct FunctionAddress {
  uint16_t segment = 0;
  uint8_t bus = 0;
  uint8_t device = 0;    // 0..31
  uint8_t function = 0;  // 0..7

  bool operator==(const FunctionAddress&) const = default;
};

class ConfigSpace {
 public:
  // Reads of absent functions return all ones, like the hardware (master abort).
  virtual uint8_t Read8(FunctionAddress address, uint16_t offset) = 0;
  virtual uint16_t Read16(FunctionAddress address, uint16_t offset) = 0;
  virtual uint32_t Read32(FunctionAddress address, uint16_t offset) = 0;
  virtual void Write8(FunctionAddress address, uint16_t offset, uint8_t value) = 0;
  virtual void Write16(FunctionAddress address, uint16_t offset, uint16_t value) = 0;
  virtual void Write32(FunctionAddress address, uint16_t offset, uint32_t value) = 0;

 protected:
  ~ConfigSpace() = default;
};

// Common header registers (offsets into the function's configuration space).
inline constexpr uint16_t kRegVendorId = 0x00;
inline constexpr uint16_t kRegDeviceId = 0x02;
inline constexpr uint16_t kRegCommand = 0x04;
inline constexpr uint16_t kRegStatus = 0x06;
inline constexpr uint16_t kRegRevision = 0x08;
inline constexpr uint16_t kRegProgIf = 0x09;
inline constexpr uint16_t kRegSubclass = 0x0A;
inline constexpr uint16_t kRegClass = 0x0B;
inline constexpr uint16_t kRegHeaderType = 0x0E;
inline constexpr uint16_t kRegBar0 = 0x10;
inline constexpr uint16_t kRegPrimaryBus = 0x18;  // type 1 only
inline constexpr uint16_t kRegSecondaryBus = 0x19;
inline constexpr uint16_t kRegSubordinateBus = 0x1A;
inline constexpr uint16_t kRegCapabilitiesPointer = 0x34;
inline constexpr uint16_t kRegInterruptLine = 0x3C;
inline constexpr uint16_t kRegInterruptPin = 0x3D;

inline constexpr uint16_t kVendorAbsent = 0xFFFF;

inline constexpr uint16_t kCommandIoSpace = 1u << 0;
inline constexpr uint16_t kCommandMemorySpace = 1u << 1;
inline constexpr uint16_t kCommandBusMaster = 1u << 2;
inline constexpr uint16_t kCommandInterruptDisable = 1u << 10;
inline constexpr uint16_t kStatusCapabilitiesList = 1u << 4;

inline constexpr uint8_t kHeaderTypeMask = 0x7F;
inline constexpr uint8_t kHeaderMultiFunction = 0x80;
inline constexpr uint8_t kHeaderTypeDevice = 0;  // type 0: endpoint
inline constexpr uint8_t kHeaderTypeBridge = 1;  // type 1: PCI-to-PCI bridge
inline constexpr uint8_t kHeaderTypeCardBus = 2;

}  // namespace hiillos::pci
