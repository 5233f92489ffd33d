// services/pcid/claim.h — what pcid hands a driver for one function ("claim device"): its
// memory BARs as device frames, configuration-space access limited to that function, and its
// interrupt as an IrqLine bound to a Notify — MSI-X (vector 0 programmed and enabled) when the
// function has it, else MSI; or INTx (its GSI from the ACPI _PRT, intx.h, bound level-triggered
// with IrqGsiBind) when the caller routes it so or the function has no MSI.
//
// Ownership: the Claim holds the frame, IrqLine and Notify capabilities it made (handles of the
// calling process, charged to the Memory given to Claim); over IPC pcid transfers them.
#pragma once

#include <stdint.h>

#include "lib/acpi/prt.h"
#include "lib/pci/bar.h"
#include "lib/pci/config_space.h"
#include "lib/pci/function.h"
#include "services/pcid/device_mapper.h"

namespace hiillos::pcid {

// Configuration-space access to exactly one function: accesses naming another read all ones
// and drop writes.
class FunctionConfig final : public pci::ConfigSpace {
 public:
  FunctionConfig(pci::ConfigSpace& config, pci::FunctionAddress address)
      : config_(config), address_(address) {}
  uint8_t Read8(pci::FunctionAddress address, uint16_t offset) override;
  uint16_t Read16(pci::FunctionAddress address, uint16_t offset) override;
  uint32_t Read32(pci::FunctionAddress address, uint16_t offset) override;
  void Write8(pci::FunctionAddress address, uint16_t offset, uint8_t value) override;
  void Write16(pci::FunctionAddress address, uint16_t offset, uint16_t value) override;
  void Write32(pci::FunctionAddress address, uint16_t offset, uint32_t value) override;

 private:
  pci::ConfigSpace& config_;
  pci::FunctionAddress address_;
};

enum class InterruptKind : uint8_t { kNone, kMsix, kMsi, kIntx };

struct Claim {
  pci::Function function;
  uint32_t bar_frames[pci::kMaxBars] = {};  // device frame per memory BAR (0: none)
  uint64_t bar_offset[pci::kMaxBars] = {};  // the BAR's base inside its first page
  InterruptKind interrupt = InterruptKind::kNone;
  uint32_t notify = 0;      // signalled (bit 1) by the device's interrupt
  uint32_t irq_line = 0;    // the bound IrqLine (deleting it frees the vector)
  uint32_t msix_frame = 0;  // pcid's mapping of the MSI-X table (0: none)
  uint64_t msix_page = 0;   // where that frame is mapped
};

// Ends a claim on the function's side: MSI-X/MSI disabled (INTx: Interrupt Disable set), memory
// decoding and bus mastering off (no DMA into memory the old driver's death freed), the MSI-X table
// unmapped from `vmem`. The caller deletes the claim's capabilities.
void QuiesceFunction(pci::ConfigSpace& config, uint32_t vmem, Claim& claim);

// Claims `function`: memory decoding and bus mastering on, BAR frames made, the interrupt bound
// (IrqMsiBind on `irq_authority`, charged to `memory`) and programmed. With `intx` non-null the
// interrupt is INTx instead: that GSI bound with IrqGsiBind (level, the route's polarity) and
// the command register's Interrupt Disable bit cleared. Returns nullptr or what failed.
const char* ClaimFunction(pci::ConfigSpace& config, const pci::Function& function,
                          DeviceMapper& mapper, uint32_t devices, uint32_t memory,
                          uint32_t irq_authority, const acpi::PciIntxRoute* intx, Claim& out);

}  // namespace hiillos::pcid
