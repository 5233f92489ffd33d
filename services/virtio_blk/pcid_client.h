// services/virtio_blk/pcid_client.h — a driver's side of the pcid protocol
// (services/pcid/protocol.h): find a function by vendor and device, claim it into a pcid::Claim
// (BAR frames, IrqLine, Notify, the Read-only DeviceMemory for DMA addresses), and the
// function's configuration space through pcid (PcidConfig, a pci::ConfigSpace over IPC).
#pragma once

#include <stdint.h>

#include "lib/pci/config_space.h"
#include "services/pcid/claim.h"

namespace hiillos::virtio_blk {

// Configuration space through pcid (kConfigRead/kConfigWrite): reads pcid refuses give all
// ones, refused writes are dropped.
class PcidConfig final : public pci::ConfigSpace {
 public:
  explicit PcidConfig(uint32_t pcid) : pcid_(pcid) {}
  uint8_t Read8(pci::FunctionAddress address, uint16_t offset) override;
  uint16_t Read16(pci::FunctionAddress address, uint16_t offset) override;
  uint32_t Read32(pci::FunctionAddress address, uint16_t offset) override;
  void Write8(pci::FunctionAddress address, uint16_t offset, uint8_t value) override;
  void Write16(pci::FunctionAddress address, uint16_t offset, uint16_t value) override;
  void Write32(pci::FunctionAddress address, uint16_t offset, uint32_t value) override;

 private:
  uint64_t Read(pci::FunctionAddress address, uint16_t offset, uint64_t width, uint64_t ones);
  void Write(pci::FunctionAddress address, uint16_t offset, uint64_t width, uint64_t value);
  uint32_t pcid_;
};

// Finds the first function with `vendor`:`device` (kList) and claims it (kClaim with
// `claim_flags`, e.g. pcid::protocol::kClaimIntx; kClaimBar):
// fills `out` (function identity, BARs and capability list; frames, offsets, IrqLine and Notify)
// and `*dma_devices` (a DeviceMemory for FrameDmaAddress). The claim's lease: a Receiver made
// from `memory` that this process keeps (never receives on) until it dies, and a Sender to it
// moved to pcid (docs/protocols/pci.md). Returns nullptr or what failed.
const char* FindAndClaim(uint32_t pcid, uint32_t memory, PcidConfig& config, uint16_t vendor,
                         uint16_t device, uint64_t claim_flags, pcid::Claim& out,
                         uint32_t* dma_devices);

}  // namespace hiillos::virtio_blk
