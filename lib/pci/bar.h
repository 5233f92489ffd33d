// lib/pci/bar.h — Base Address Registers: decoding, sizing (PCI Local Bus 3.0 §6.2.5.1) and
// the page frames pcid hands a driver for a memory BAR.
#pragma once

#include <stdint.h>

#include "lib/base/result.h"
#include "lib/pci/config_space.h"
#include "lib/pci/error.h"

namespace hiillos::pci {

inline constexpr uint8_t kMaxBars = 6;  // type 0; type 1 has 2, type 2 (CardBus) 1

enum class BarKind : uint8_t {
  kNone,       // not implemented (reads back 0 after writing all ones)
  kMemory32,   // 32-bit memory
  kMemory64,   // 64-bit memory; the next slot is its kUpperHalf
  kUpperHalf,  // the high dword of the 64-bit BAR in the previous slot
  kIo,         // I/O space
  kInvalid,    // malformed: reserved type 0b01/0b11, a 64-bit BAR in the last slot, a size
               // mask that is not a power of two, or no writable address bit
};

struct Bar {
  BarKind kind = BarKind::kNone;
  bool prefetchable = false;
  uint64_t base = 0;  // as programmed by firmware (0 = unassigned)
  uint64_t size = 0;  // decoded range, a power of two
};

// Number of BAR slots of a header type (0 for unknown types).
uint8_t BarCount(uint8_t header_type);

// Decodes and sizes the first `count` BARs of `address` into bars[0..count). While sizing, I/O
// and memory decoding are switched off in the command register; every BAR and the command
// register are restored afterwards.
void SizeBars(ConfigSpace& config, FunctionAddress address, uint8_t count, Bar* bars);

// The page frames that cover a memory BAR: what pcid maps into the driver.
struct BarFrames {
  uint64_t phys_base = 0;       // page-aligned
  uint64_t size = 0;            // page multiple, >= one page
  uint64_t offset_in_page = 0;  // of the BAR's base inside phys_base (BARs under 4 KiB)
};

// kNotMemoryBar for I/O BARs, kNoSuchBar for kNone/kUpperHalf/kInvalid, kBarUnassigned when
// the base is 0, kBarOutOfRange when base + size wraps.
Result<BarFrames, Error> FramesOfBar(const Bar& bar);

}  // namespace hiillos::pci
