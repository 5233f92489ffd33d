// lib/pci/testing/simulated_config_space.h — a ConfigSpace over simulated functions for host
// tests and the fuzzer: per-byte writable masks (so BAR sizing behaves like hardware), all ones
// for absent functions, and a count of every access that broke the accessor contract.
#pragma once

#include <stdint.h>

#include <map>
#include <memory>

#include "lib/pci/config_space.h"

namespace hiillos::pci::testing {

class SimulatedConfigSpace final : public ConfigSpace {
 public:
  uint8_t Read8(FunctionAddress address, uint16_t offset) override;
  uint16_t Read16(FunctionAddress address, uint16_t offset) override;
  uint32_t Read32(FunctionAddress address, uint16_t offset) override;
  void Write8(FunctionAddress address, uint16_t offset, uint8_t value) override;
  void Write16(FunctionAddress address, uint16_t offset, uint16_t value) override;
  void Write32(FunctionAddress address, uint16_t offset, uint32_t value) override;

  // A present function with a header; the command register's I/O, memory, bus-master and
  // interrupt-disable bits are writable. `header_type` may carry the multi-function bit.
  void AddFunction(FunctionAddress address, uint16_t vendor, uint16_t device, uint8_t class_code,
                   uint8_t subclass, uint8_t prog_if, uint8_t header_type);
  // A type 1 header (class 06/04) forwarding secondary..subordinate.
  void AddBridge(FunctionAddress address, uint8_t secondary, uint8_t subordinate);
  // BARs as hardware implements them: the address bits above the size are writable.
  void AddMemoryBar32(FunctionAddress address, uint8_t index, uint32_t base, uint32_t size,
                      bool prefetchable);
  void AddMemoryBar64(FunctionAddress address, uint8_t index, uint64_t base, uint64_t size,
                      bool prefetchable);
  void AddIoBar(FunctionAddress address, uint8_t index, uint16_t port, uint16_t size);
  // Appends a capability at `offset` to the function's list (sets the status bit, the list
  // head or the previous entry's next pointer).
  void AddCapability(FunctionAddress address, uint8_t offset, uint8_t id);
  // MSI: `control` as the device reports it; enable and multiple-message-enable bits writable,
  // as are the address, data and (when present) mask registers.
  void AddMsi(FunctionAddress address, uint8_t offset, uint16_t control);
  // MSI-X with `table_size` entries; enable and function-mask bits writable.
  void AddMsix(FunctionAddress address, uint8_t offset, uint16_t table_size, uint8_t table_bar,
               uint32_t table_offset, uint8_t pba_bar, uint32_t pba_offset);

  // Raw access for building malformed spaces (not through the writable masks).
  void Poke8(FunctionAddress address, uint16_t offset, uint8_t value);
  void Poke16(FunctionAddress address, uint16_t offset, uint16_t value);
  void Poke32(FunctionAddress address, uint16_t offset, uint32_t value);
  void SetWritable(FunctionAddress address, uint16_t offset, uint32_t mask, uint16_t width);

  uint64_t bad_accesses() const { return bad_accesses_; }
  uint64_t accesses() const { return accesses_; }

 private:
  struct Space {
    uint8_t bytes[kConfigSpaceSize] = {};
    uint8_t writable[kConfigSpaceSize] = {};
    uint8_t last_capability = 0;
  };
  static uint32_t Key(FunctionAddress address);
  // The function's space, or nullptr when absent or when the access is out of contract.
  Space* Access(FunctionAddress address, uint16_t offset, uint16_t width);
  Space& Existing(FunctionAddress address);
  uint32_t Read(FunctionAddress address, uint16_t offset, uint16_t width);
  void Write(FunctionAddress address, uint16_t offset, uint32_t value, uint16_t width);

  std::map<uint32_t, std::unique_ptr<Space>> spaces_;
  uint64_t bad_accesses_ = 0;
  uint64_t accesses_ = 0;
};

}  // namespace hiillos::pci::testing
