// kernel/mm/buddy_allocator_fuzzer.cc — libFuzzer target: random ranges and Allocate/Free mixes.
//
// Invariants checked on every step: blocks aligned, inside a free range, never overlapping a
// held block; bad frees fail without changing counters; freeing everything restores the state.
#include <stddef.h>
#include <stdint.h>

#include <map>
#include <vector>

#include "kernel/mm/buddy_allocator.h"

namespace {

using hiillos::mm::BuddyAllocator;
using hiillos::mm::PageUse;
using hiillos::mm::PhysRange;

void Check(bool ok) {
  if (!ok) __builtin_trap();
}

struct Reader {
  const uint8_t* data;
  size_t size;
  uint64_t Next(unsigned bytes) {
    uint64_t v = 0;
    for (unsigned i = 0; i < bytes && size > 0; ++i, ++data, --size)
      v |= uint64_t{*data} << (8 * i);
    return v;
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  Reader in{data, size};
  // Up to 4 non-overlapping ranges laid out left to right inside a 64 MiB window.
  std::vector<PhysRange> ranges;
  uint64_t cursor = in.Next(1) * 0x1000;
  for (unsigned count = in.Next(1) % 5; count > 0; --count) {
    uint64_t gap = in.Next(1) * 0x1000;
    uint64_t pages = in.Next(2) % 4096;
    ranges.push_back({cursor + gap, pages * 0x1000});
    cursor += gap + pages * 0x1000;
  }
  if (in.Next(1) & 1) {  // sometimes an invalid range: Init must reject it
    ranges.push_back({cursor + 0x800, 0x1000});
    Check(!BuddyAllocator::MetadataBytes(ranges.data(), ranges.size()).ok());
    return 0;
  }
  // The same ranges with touching neighbours joined: a block may straddle two of them.
  std::vector<PhysRange> merged;
  for (const PhysRange& r : ranges) {
    if (r.size == 0) continue;
    if (!merged.empty() && merged.back().end() == r.base) {
      merged.back().size += r.size;
    } else {
      merged.push_back(r);
    }
  }
  uint64_t need = BuddyAllocator::MetadataBytes(ranges.data(), ranges.size()).value_or(~0ull);
  Check(need != ~0ull);
  std::vector<uint64_t> meta(need / 8 + 1);
  BuddyAllocator pmm;
  Check(pmm.Init(ranges.data(), ranges.size(), meta.data(), need).ok());
  const uint64_t total = pmm.total_pages();
  std::map<uint64_t, unsigned> held;
  while (in.size > 0) {
    uint8_t op = static_cast<uint8_t>(in.Next(1));
    if (op < 160) {
      unsigned order = op % 12;
      auto block = pmm.Allocate(order, static_cast<PageUse>(op % hiillos::mm::kPageUseCount));
      if (!block.ok()) continue;
      uint64_t phys = block.value(), bytes = BuddyAllocator::BlockBytes(order);
      Check(phys % bytes == 0);
      bool inside = false;
      for (const PhysRange& r : merged) inside |= phys >= r.base && phys + bytes <= r.end();
      Check(inside);
      auto next = held.lower_bound(phys);
      if (next != held.end()) Check(next->first >= phys + bytes);
      if (next != held.begin()) {
        auto prev = std::prev(next);
        Check(prev->first + BuddyAllocator::BlockBytes(prev->second) <= phys);
      }
      held[phys] = order;
    } else if (op < 230 && !held.empty()) {
      auto it = held.begin();
      std::advance(it, in.Next(2) % held.size());
      Check(pmm.Free(it->first, it->second).ok());
      held.erase(it);
    } else {  // a bogus free: must fail and change nothing
      uint64_t free_before = pmm.free_pages();
      uint64_t phys = in.Next(4) * 0x1000;
      unsigned order = in.Next(1) % 20;
      auto it = held.find(phys);
      if (it != held.end() && it->second == order) continue;
      Check(!pmm.Free(phys, order).ok());
      Check(pmm.free_pages() == free_before);
    }
  }
  for (auto& [phys, order] : held) Check(pmm.Free(phys, order).ok());
  Check(pmm.free_pages() == total);
  return 0;
}
