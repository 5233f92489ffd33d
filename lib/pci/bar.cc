// lib/pci/bar.cc — BAR decode and the write-all-ones / read-back / restore sizing protocol.
#include "lib/pci/bar.h"

#include "lib/base/checked.h"
#include "lib/base/page_size.h"

namespace hiillos::pci {
namespace {

// PCI Local Bus 3.0 §6.2.5.1: BAR low bits.
constexpr uint32_t kBarIoSpace = 1u << 0;
constexpr uint32_t kBarMemTypeMask = 0x6;
constexpr uint32_t kBarMemType32 = 0x0;
constexpr uint32_t kBarMemType64 = 0x4;
constexpr uint32_t kBarPrefetchable = 1u << 3;
constexpr uint32_t kBarMemAddressMask = ~uint32_t{0xF};
constexpr uint32_t kBarIoAddressMask = ~uint32_t{0x3};
constexpr uint64_t kUpper32 = 0xFFFFFFFF00000000ull;  // bits a 32-bit BAR cannot implement

uint16_t BarOffset(uint8_t index) {
  return kRegBar0 + 4 * index;
}

// Writes all ones, reads back, restores the original value.
uint32_t ProbeMask(ConfigSpace& config, FunctionAddress address, uint16_t offset,
                   uint32_t original) {
  config.Write32(address, offset, 0xFFFFFFFF);
  const uint32_t mask = config.Read32(address, offset);
  config.Write32(address, offset, original);
  return mask;
}

// Size from a read-back address mask (64 bits, unimplemented upper bits set): the lowest set
// bit. A mask whose set bits are not one contiguous run up to the top (…1110000), or that has
// no writable address bit below the filled-in ones, is malformed: 0.
uint64_t SizeFromMask(uint64_t mask, uint64_t filled) {
  if (mask == 0 || mask == filled) return 0;
  const uint64_t size = mask & (~mask + 1);  // lowest set bit
  const uint64_t expected = ~(size - 1);     // all bits from it up
  return mask == expected ? size : 0;
}

// Sizes BAR `index`; returns the slots it takes (2 for a 64-bit BAR, even a malformed one).
uint8_t SizeOne(ConfigSpace& config, FunctionAddress address, uint8_t count, uint8_t index,
                Bar* bars) {
  const uint16_t offset = BarOffset(index);
  const uint32_t original = config.Read32(address, offset);
  const uint32_t mask = ProbeMask(config, address, offset, original);
  Bar& bar = bars[index];
  bar = Bar{};
  if (mask == 0) return 1;  // kNone

  if (original & kBarIoSpace) {
    // I/O BARs may implement only 16 address bits: treat unimplemented upper bits as set.
    // x86 I/O space is 64 KiB: a BAR with no writable bit in the low 16 is malformed.
    uint32_t address_mask = mask & kBarIoAddressMask;
    if ((address_mask & 0xFFFF0000u) == 0) address_mask |= 0xFFFF0000u;
    const uint64_t size = (address_mask & 0xFFFFu) == 0
                              ? 0
                              : SizeFromMask(uint64_t{address_mask} | kUpper32, kUpper32);
    bar.kind = size == 0 ? BarKind::kInvalid : BarKind::kIo;
    bar.base = original & kBarIoAddressMask;
    bar.size = size;
    return 1;
  }

  bar.prefetchable = (original & kBarPrefetchable) != 0;
  const uint32_t type = original & kBarMemTypeMask;
  if (type == kBarMemType32) {
    const uint64_t size = SizeFromMask(uint64_t{mask & kBarMemAddressMask} | kUpper32, kUpper32);
    bar.kind = size == 0 ? BarKind::kInvalid : BarKind::kMemory32;
    bar.base = original & kBarMemAddressMask;
    bar.size = size;
    return 1;
  }
  if (type != kBarMemType64 || index + 1 >= count) {
    bar.kind = BarKind::kInvalid;
    return 1;
  }
  const uint16_t upper_offset = BarOffset(index + 1);
  const uint32_t upper_original = config.Read32(address, upper_offset);
  const uint32_t upper_mask = ProbeMask(config, address, upper_offset, upper_original);
  const uint64_t size = SizeFromMask((uint64_t{upper_mask} << 32) | (mask & kBarMemAddressMask), 0);
  bar.kind = size == 0 ? BarKind::kInvalid : BarKind::kMemory64;
  bar.base = (uint64_t{upper_original} << 32) | (original & kBarMemAddressMask);
  bar.size = size;
  bars[index + 1] = Bar{.kind = BarKind::kUpperHalf};
  return 2;
}

}  // namespace

uint8_t BarCount(uint8_t header_type) {
  switch (header_type & kHeaderTypeMask) {
    case kHeaderTypeDevice:
      return 6;
    case kHeaderTypeBridge:
      return 2;
    case kHeaderTypeCardBus:
      return 1;
  }
  return 0;
}

void SizeBars(ConfigSpace& config, FunctionAddress address, uint8_t count, Bar* bars) {
  if (count > kMaxBars) count = kMaxBars;
  const uint16_t command = config.Read16(address, kRegCommand);
  config.Write16(address, kRegCommand, command & ~uint16_t{kCommandIoSpace | kCommandMemorySpace});
  for (uint8_t index = 0; index < count;) index += SizeOne(config, address, count, index, bars);
  config.Write16(address, kRegCommand, command);
}

Result<BarFrames, Error> FramesOfBar(const Bar& bar) {
  if (bar.kind == BarKind::kIo) return Err(Error::kNotMemoryBar);
  if (bar.kind != BarKind::kMemory32 && bar.kind != BarKind::kMemory64) {
    return Err(Error::kNoSuchBar);
  }
  if (bar.base == 0) return Err(Error::kBarUnassigned);
  uint64_t end = 0;
  if (!CheckedAdd(bar.base, bar.size, &end)) return Err(Error::kBarOutOfRange);
  const uint64_t first = AlignDown(bar.base, kPageSize);
  uint64_t last = 0;
  if (!AlignUp(end, kPageSize, &last)) return Err(Error::kBarOutOfRange);
  return BarFrames{.phys_base = first, .size = last - first, .offset_in_page = bar.base - first};
}

}  // namespace hiillos::pci
