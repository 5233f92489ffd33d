// lib/pci/interrupts.h — what pcid does to a function before handing it to a driver: command
// register decode/bus-master enables, and programming MSI (PCI Local Bus 3.0 §6.8.1) or MSI-X
// (§6.8.2) vectors with an address/data pair the caller chose (on x86, from the LAPIC and
// vector it allocated: Intel SDM Vol.3A §11.11).
#pragma once

#include <stdint.h>

#include "lib/base/result.h"
#include "lib/pci/capability.h"
#include "lib/pci/config_space.h"
#include "lib/pci/error.h"

namespace hiillos::pci {

// Sets Memory Space and/or Bus Master Enable in the command register, leaving other bits.
void EnableDecoding(ConfigSpace& config, FunctionAddress address, bool memory, bool bus_master);

// Programs `msi` for 2^vectors_log2 vectors starting at `data` (the device ORs the vector
// number into data's low bits), sets Interrupt Disable (INTx off) and enables MSI. Errors:
// kVectorOutOfRange (more vectors than Multiple Message Capable), kAddressNotReachable (address
// above 4 GiB on a 32-bit capability), kMisalignedAddress.
Result<void, Error> ProgramMsi(ConfigSpace& config, FunctionAddress address,
                               const MsiCapability& msi, uint64_t message_address, uint16_t data,
                               uint8_t vectors_log2);
// Clears MSI Enable.
void DisableMsi(ConfigSpace& config, FunctionAddress address, const MsiCapability& msi);
// Masks or unmasks one MSI vector. kNoPerVectorMasking, kVectorOutOfRange.
Result<void, Error> SetMsiMask(ConfigSpace& config, FunctionAddress address,
                               const MsiCapability& msi, uint8_t vector, bool masked);

// Sets MSI-X Enable, clears Function Mask and sets Interrupt Disable; entries keep their own
// mask bits.
void EnableMsix(ConfigSpace& config, FunctionAddress address, const MsixCapability& msix);
void DisableMsix(ConfigSpace& config, FunctionAddress address, const MsixCapability& msix);

// The MSI-X table as mapped by pcid (LocateMsixTable gives where): table_size entries of four
// dwords (address low, address high, data, vector control).
class MsixTable {
 public:
  MsixTable(volatile uint32_t* entries, uint16_t table_size)
      : entries_(entries), table_size_(table_size) {}

  // Writes entry `vector` with the entry masked, then leaves it masked or not as asked.
  // kVectorOutOfRange, kMisalignedAddress.
  Result<void, Error> Program(uint16_t vector, uint64_t message_address, uint32_t data,
                              bool masked);
  Result<void, Error> SetMask(uint16_t vector, bool masked);
  Result<bool, Error> IsMasked(uint16_t vector) const;

 private:
  volatile uint32_t* entries_;
  uint16_t table_size_;
};

}  // namespace hiillos::pci
