// testing/syscall_fuzz/arguments.cc — the raw value pools behind ArgumentFor.
#include "testing/syscall_fuzz/arguments.h"

#include "testing/syscall_fuzz/worker.h"
#include "uapi/boot_info.h"
#include "uapi/initial_caps.h"

namespace hiillos::syscall_fuzz {
namespace {

// Page-aligned addresses where workers map frames in the address spaces they create (several
// calls land on the same few pages, so overlaps, remaps and unmaps of real mappings happen).
uint64_t PlaygroundAddress(Context& c) {
  switch (c.rng.Below(4)) {
    case 0:
      return 0x10'0000 + c.rng.Below(16) * 0x1000;  // 4 KiB pages
    case 1:
      return 0x20'0000 * (1 + c.rng.Below(4));  // 2 MiB aligned
    case 2:
      return 0x4000'0000ull * (1 + c.rng.Below(2));  // 1 GiB aligned
    default:
      return 0x0000'7fff'ffff'f000ull;  // the last user page (above the parent's stack)
  }
}

// Words may be pointers too (a kind without its own generator): none of them points into the
// parent's memory. Anywhere, except the parts of the lower half where the parent has memory (its
// image, heap, scratch pages and stack): a random pointer must never let the kernel write over
// them.
uint64_t RandomAddress(Context& c) {
  uint64_t address = c.rng.Next();
  if (address >= 0x0000'8000'0000'0000ull) return address;  // kernel half or non-canonical
  address |= 0x0000'4000'0000'0000ull;                      // above everything of the parent's
  if (address >= 0x0000'7fff'0000'0000ull) address -= 0x0000'1000'0000'0000ull;  // below its stack
  return address;
}

}  // namespace

uint64_t InterestingWord(Context& c) {
  switch (c.rng.Below(20)) {
    case 0:
      return 0;
    case 1:
      return 1 + c.rng.Below(8);
    case 2:
    case 3:
    case 4:
    case 16:
    case 17:
    case 18:
    case 19:
      return PlaygroundAddress(c);
    case 5:
      return PlaygroundAddress(c) + 1 + c.rng.Below(0xfff);  // unaligned
    case 6:
      return c.scratch;
    case 7:
      return 0x0000'8000'0000'0000ull;  // first non-canonical address
    case 8:
      return uapi::kHhdmBase + c.rng.Below(64) * 0x1000;
    case 9:
      return uapi::kKernelBase + c.rng.Below(64) * 0x1000;
    case 10:
      return ~uint64_t{0} - c.rng.Below(4);
    case 11:
      return uint64_t{1} << c.rng.Below(64);
    case 12:
      return 0xf;  // every CPU of a 4-CPU guest
    case 13:
      return uint64_t{1} << c.rng.Below(8);  // one CPU (or one that does not exist)
    case 14:
      return (uint64_t{1} << 32) + c.rng.Below(uint64_t{1} << 32);
    default:
      return RandomAddress(c);
  }
}

uint64_t RandomHandle(Context& c) {
  switch (c.rng.Below(5)) {
    case 0:
      return 0;  // the null capability
    case 1:
      return c.rng.Below(64);  // low slots: the parent's and other workers' handles, free slots
    case 2:
      return c.rng.Below(1u << 14);
    case 3:
      return 0xffff'ffffu - c.rng.Below(2);
    default:
      return (uint64_t{1} << 32) + c.rng.Below(16);  // too wide for a handle
  }
}

uint64_t UserPointer(Context& c, uint64_t size) {
  uint64_t roll = c.rng.Below(100);
  if (roll < 55) {
    // Inside the scratch pages (8-byte aligned or not), sometimes with fresh contents.
    uint64_t room = size < kScratchBytes ? kScratchBytes - size : 0;
    uint64_t offset = c.rng.Below(room + 1);
    if (c.rng.Percent(80)) offset &= ~uint64_t{7};
    uint64_t pointer = c.scratch + offset;
    uint64_t fill = c.rng.Below(4);
    auto* bytes = reinterpret_cast<volatile uint8_t*>(pointer);
    for (uint64_t i = 0; fill < 2 && i < size && offset + i < kScratchBytes; ++i) {
      bytes[i] = fill == 0 ? 0 : static_cast<uint8_t>(c.rng.Next());
    }
    return pointer;
  }
  if (roll < 65) return c.scratch + kScratchBytes - 1 - c.rng.Below(size);  // runs off the end
  if (roll < 72) return kReadOnlyPage + c.rng.Below(0x1000 / 8) * 8;
  if (roll < 76) return uapi::kRootBootInfoAddress;  // read-only too
  if (roll < 82) return kUnmappedPage + c.rng.Below(0x1000);
  if (roll < 86) return 0;
  if (roll < 90) return uapi::kHhdmBase + c.rng.Below(1u << 20) * 8;
  if (roll < 93) return uapi::kKernelBase + c.rng.Below(1u << 16) * 8;
  if (roll < 96) return 0x0000'8000'0000'0000ull - c.rng.Below(size + 8);  // to non-canonical
  return RandomAddress(c);
}

}  // namespace hiillos::syscall_fuzz
