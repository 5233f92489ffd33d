// services/pcid/protocol.h — the pcid protocol: what drivers and tools ask pcid over IPC (list
// the PCI functions, claim one). Defined once here for both sides; docs/protocols/pci.md
// describes it in prose. Served by /sbin/pcid (main.cc) over discovery.h and claim.h.
#pragma once

#include <stdint.h>

namespace hiillos::pcid::protocol {

// w0 of a request.
enum class Op : uint64_t {
  // w1 index (0-based, scan order). -> w1 function address (PackAddress), w2 vendor | device
  // << 16, w3 class << 16 | subclass << 8 | prog_if, w4 the number of functions, w5 interrupt
  // support (kHasMsi, kHasMsix, kHasIntx); extended words 0..11: per BAR i, word 2i = base
  // (0: none) and word 2i+1 = size | kind << 56 (BarKind); word 12 = the claimant's badge + 1
  // (0: not claimed; kClaimantUnknown: held by a driver from before this pcid started).
  kList = 1,
  // w1 function address, w2 claim flags (kClaimIntx); one capability: the lease, a Sender to a
  // Receiver the caller keeps and
  // never receives on (its closing — the caller's death — ends the claim as kRelease does).
  // Makes the caller the function's only driver: memory decoding and bus
  // mastering on, the interrupt bound (MSI-X entries all programmed with one vector, else
  // MSI, else INTx; INTx also when w2 has kClaimIntx: the GSI the ACPI _PRT routes the pin to,
  // level-triggered). -> w1 BAR mask (bit i: BAR i is a memory BAR with a frame), w2 InterruptKind,
  // w3
  // offset of each BAR's base in its first page, 12 bits per BAR; capabilities: the IrqLine
  // (Read, Write), its Notify (Read: bit 0 per interrupt), a DeviceMemory derived to Read only
  // (for FrameDmaAddress), and the frame of the lowest memory BAR.
  kClaim = 2,
  // w1 function address, w2 BAR index. Only the function's claimant (its badge). -> one
  // capability: the BAR's device frame (Read, Write, Map).
  kClaimBar = 3,
  // w1 function address, w2 offset, w3 width (1, 2 or 4) -> w1 the value. Only the claimant;
  // offsets below 0x40 other than the command and status registers (and, for reads, the
  // capabilities pointer) are refused (BARs and bus numbers stay pcid's): ConfigAccessAllowed.
  kConfigRead = 4,
  // w1 function address, w2 offset, w3 width, w4 value. Same limits as kConfigRead.
  kConfigWrite = 5,
  // w1 function address. Only the claimant. Ends the claim: MSI-X/MSI off, memory decoding and
  // bus mastering off, pcid's BAR frames deleted; the function can be claimed again. The caller
  // must have stopped using what the claim gave it (there is no revocation).
  kRelease = 6,
};

// w0 of a reply.
enum class Error : uint64_t {
  kOk = 0,
  kBadRequest = 1,      // unknown op, bad width or offset, index past the end, kClaim without
                        // its lease
  kNoSuchFunction = 2,  // no function at that address
  kClaimed = 3,         // another client claimed it, or the caller did not
  kNoInterrupt = 4,     // no MSI-X or MSI, and no INTx route (no pin, or no usable _PRT entry);
                        // with kClaimIntx: no INTx route
  kNoResources = 5,     // no free MSI vector, the INTx GSI is bound to another claim, or pcid's
                        // Memory is exhausted
};

// kList word 12 for a function a driver already held when this pcid started (a restarted pcid:
// the function had MSI or MSI-X on). pcid leaves it alone: no BARs listed, kClaim -> kClaimed.
inline constexpr uint64_t kClaimantUnknown = ~uint64_t{0};

enum InterruptKind : uint64_t {
  kInterruptNone = 0,
  kInterruptMsix = 1,
  kInterruptMsi = 2,
  kInterruptIntx = 3,  // level-triggered: read the device's interrupt status before IrqLineAck
};
// kClaim w2: ask for INTx even when the function has MSI or MSI-X.
inline constexpr uint64_t kClaimIntx = 1;
inline constexpr uint64_t kClaimFlags = kClaimIntx;
inline constexpr uint64_t kHasMsi = 1;
inline constexpr uint64_t kHasMsix = 2;
inline constexpr uint64_t kHasIntx = 4;

// Configuration-space accesses a claimant may make (kConfigRead, kConfigWrite): width 1, 2 or 4,
// naturally aligned, inside the 4 KiB extended space; below 0x40 only the command and status
// registers (0x04..0x07), and for reads also the capabilities pointer (0x34).
[[nodiscard]] constexpr bool ConfigAccessAllowed(uint64_t offset, uint64_t width, bool write) {
  if (width != 1 && width != 2 && width != 4) return false;
  if (offset % width != 0 || offset >= 0x1000 || offset + width > 0x1000) return false;
  if (offset >= 0x40) return true;
  if (offset >= 0x04 && offset + width <= 0x08) return true;
  return !write && offset == 0x34 && width == 1;
}

// segment << 16 | bus << 8 | device << 3 | function.
[[nodiscard]] constexpr uint64_t PackAddress(uint16_t segment, uint8_t bus, uint8_t device,
                                             uint8_t function) {
  return uint64_t{segment} << 16 | uint64_t{bus} << 8 | uint64_t{device & 31u} << 3 |
         (function & 7u);
}

[[nodiscard]] constexpr const char* ErrorName(Error error) {
  switch (error) {
    case Error::kOk:
      return "ok";
    case Error::kBadRequest:
      return "bad request";
    case Error::kNoSuchFunction:
      return "no such function";
    case Error::kClaimed:
      return "claimed by another client";
    case Error::kNoInterrupt:
      return "no usable interrupt";
    case Error::kNoResources:
      return "no resources";
  }
  return "unknown error";
}

}  // namespace hiillos::pcid::protocol
