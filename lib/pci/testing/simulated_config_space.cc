// lib/pci/testing/simulated_config_space.cc — the simulated configuration space.
#include "lib/pci/testing/simulated_config_space.h"

namespace hiillos::pci::testing {

uint32_t SimulatedConfigSpace::Key(FunctionAddress address) {
  return (uint32_t{address.segment} << 16) | (uint32_t{address.bus} << 8) |
         (uint32_t{address.device} << 3) | address.function;
}

SimulatedConfigSpace::Space* SimulatedConfigSpace::Access(FunctionAddress address, uint16_t offset,
                                                          uint16_t width) {
  ++accesses_;
  if (offset % width != 0 || offset + width > kConfigSpaceSize ||
      address.device >= kDevicesPerBus || address.function >= kFunctionsPerDevice) {
    ++bad_accesses_;
    return nullptr;
  }
  auto found = spaces_.find(Key(address));
  return found == spaces_.end() ? nullptr : found->second.get();
}

SimulatedConfigSpace::Space& SimulatedConfigSpace::Existing(FunctionAddress address) {
  std::unique_ptr<Space>& space = spaces_[Key(address)];
  if (!space) space = std::make_unique<Space>();
  return *space;
}

uint32_t SimulatedConfigSpace::Read(FunctionAddress address, uint16_t offset, uint16_t width) {
  Space* space = Access(address, offset, width);
  if (space == nullptr) return 0xFFFFFFFFu >> (32 - 8 * width);
  uint32_t value = 0;
  for (uint16_t i = 0; i < width; ++i) value |= uint32_t{space->bytes[offset + i]} << (8 * i);
  return value;
}

void SimulatedConfigSpace::Write(FunctionAddress address, uint16_t offset, uint32_t value,
                                 uint16_t width) {
  Space* space = Access(address, offset, width);
  if (space == nullptr) return;
  for (uint16_t i = 0; i < width; ++i) {
    const uint8_t mask = space->writable[offset + i];
    const uint8_t byte = static_cast<uint8_t>(value >> (8 * i));
    space->bytes[offset + i] = (space->bytes[offset + i] & ~mask) | (byte & mask);
  }
}

uint8_t SimulatedConfigSpace::Read8(FunctionAddress address, uint16_t offset) {
  return static_cast<uint8_t>(Read(address, offset, 1));
}
uint16_t SimulatedConfigSpace::Read16(FunctionAddress address, uint16_t offset) {
  return static_cast<uint16_t>(Read(address, offset, 2));
}
uint32_t SimulatedConfigSpace::Read32(FunctionAddress address, uint16_t offset) {
  return Read(address, offset, 4);
}
void SimulatedConfigSpace::Write8(FunctionAddress address, uint16_t offset, uint8_t value) {
  Write(address, offset, value, 1);
}
void SimulatedConfigSpace::Write16(FunctionAddress address, uint16_t offset, uint16_t value) {
  Write(address, offset, value, 2);
}
void SimulatedConfigSpace::Write32(FunctionAddress address, uint16_t offset, uint32_t value) {
  Write(address, offset, value, 4);
}

void SimulatedConfigSpace::Poke8(FunctionAddress address, uint16_t offset, uint8_t value) {
  Existing(address).bytes[offset] = value;
}
void SimulatedConfigSpace::Poke16(FunctionAddress address, uint16_t offset, uint16_t value) {
  Poke8(address, offset, static_cast<uint8_t>(value));
  Poke8(address, offset + 1, static_cast<uint8_t>(value >> 8));
}
void SimulatedConfigSpace::Poke32(FunctionAddress address, uint16_t offset, uint32_t value) {
  Poke16(address, offset, static_cast<uint16_t>(value));
  Poke16(address, offset + 2, static_cast<uint16_t>(value >> 16));
}
void SimulatedConfigSpace::SetWritable(FunctionAddress address, uint16_t offset, uint32_t mask,
                                       uint16_t width) {
  Space& space = Existing(address);
  for (uint16_t i = 0; i < width; ++i) {
    space.writable[offset + i] = static_cast<uint8_t>(mask >> (8 * i));
  }
}

void SimulatedConfigSpace::AddFunction(FunctionAddress address, uint16_t vendor, uint16_t device,
                                       uint8_t class_code, uint8_t subclass, uint8_t prog_if,
                                       uint8_t header_type) {
  Existing(address);
  Poke16(address, kRegVendorId, vendor);
  Poke16(address, kRegDeviceId, device);
  Poke8(address, kRegRevision, 0x01);
  Poke8(address, kRegProgIf, prog_if);
  Poke8(address, kRegSubclass, subclass);
  Poke8(address, kRegClass, class_code);
  Poke8(address, kRegHeaderType, header_type);
  SetWritable(address, kRegCommand,
              kCommandIoSpace | kCommandMemorySpace | kCommandBusMaster | kCommandInterruptDisable,
              2);
  SetWritable(address, kRegInterruptLine, 0xFF, 1);
}

void SimulatedConfigSpace::AddBridge(FunctionAddress address, uint8_t secondary,
                                     uint8_t subordinate) {
  AddFunction(address, 0x1B36, 0x000C, 0x06, 0x04, 0x00, kHeaderTypeBridge);
  Poke8(address, kRegPrimaryBus, address.bus);
  Poke8(address, kRegSecondaryBus, secondary);
  Poke8(address, kRegSubordinateBus, subordinate);
}

void SimulatedConfigSpace::AddMemoryBar32(FunctionAddress address, uint8_t index, uint32_t base,
                                          uint32_t size, bool prefetchable) {
  const uint16_t offset = kRegBar0 + 4 * index;
  Poke32(address, offset, base | (prefetchable ? 0x8 : 0x0));
  SetWritable(address, offset, ~(size - 1) & ~0xFu, 4);
}

void SimulatedConfigSpace::AddMemoryBar64(FunctionAddress address, uint8_t index, uint64_t base,
                                          uint64_t size, bool prefetchable) {
  const uint16_t offset = kRegBar0 + 4 * index;
  const uint64_t mask = ~(size - 1) & ~uint64_t{0xF};
  Poke32(address, offset, static_cast<uint32_t>(base) | 0x4 | (prefetchable ? 0x8 : 0x0));
  Poke32(address, offset + 4, static_cast<uint32_t>(base >> 32));
  SetWritable(address, offset, static_cast<uint32_t>(mask), 4);
  SetWritable(address, offset + 4, static_cast<uint32_t>(mask >> 32), 4);
}

void SimulatedConfigSpace::AddIoBar(FunctionAddress address, uint8_t index, uint16_t port,
                                    uint16_t size) {
  const uint16_t offset = kRegBar0 + 4 * index;
  Poke32(address, offset, uint32_t{port} | 0x1);
  SetWritable(address, offset, ~uint32_t{size - 1u} & 0xFFFCu, 4);  // 16 decoded bits
}

void SimulatedConfigSpace::AddCapability(FunctionAddress address, uint8_t offset, uint8_t id) {
  Space& space = Existing(address);
  if (space.last_capability == 0) {
    space.bytes[kRegStatus] |= kStatusCapabilitiesList;
    space.bytes[kRegCapabilitiesPointer] = offset;
  } else {
    space.bytes[space.last_capability + 1] = offset;
  }
  space.bytes[offset] = id;
  space.bytes[offset + 1] = 0;
  space.last_capability = offset;
}

void SimulatedConfigSpace::AddMsi(FunctionAddress address, uint8_t offset, uint16_t control) {
  AddCapability(address, offset, 0x05);
  Poke16(address, offset + 2, control);
  SetWritable(address, offset + 2, 0x0071, 2);  // enable, multiple message enable
  const bool is_64bit = control & (1u << 7);
  SetWritable(address, offset + 4, 0xFFFFFFFC, 4);
  if (is_64bit) SetWritable(address, offset + 8, 0xFFFFFFFF, 4);
  const uint16_t data = offset + (is_64bit ? 0xC : 0x8);
  SetWritable(address, data, 0xFFFF, 2);
  if (control & (1u << 8)) SetWritable(address, data + 4, 0xFFFFFFFF, 4);
}

void SimulatedConfigSpace::AddMsix(FunctionAddress address, uint8_t offset, uint16_t table_size,
                                   uint8_t table_bar, uint32_t table_offset, uint8_t pba_bar,
                                   uint32_t pba_offset) {
  AddCapability(address, offset, 0x11);
  Poke16(address, offset + 2, static_cast<uint16_t>(table_size - 1));
  SetWritable(address, offset + 2, 0xC000, 2);
  Poke32(address, offset + 4, table_offset | table_bar);
  Poke32(address, offset + 8, pba_offset | pba_bar);
}

}  // namespace hiillos::pci::testing
