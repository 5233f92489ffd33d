// lib/elf/elf_fuzzer.cc — libFuzzer target: Parse must never read out of bounds or crash, and
// every accepted image must satisfy the guarantees documented in image.h.
#include <stddef.h>
#include <stdint.h>

#include "lib/elf/parse.h"

namespace {

using hiillos::elf::Image;
using hiillos::elf::Policy;
using hiillos::elf::Segment;

void Check(bool condition) {
  if (!condition) __builtin_trap();
}

void CheckImage(const Image& image, uint64_t size, const Policy& policy) {
  Check(image.segment_count() > 0 && image.segment_count() <= hiillos::elf::kMaxSegments);
  bool entry_found = false;
  for (size_t i = 0; i < image.segment_count(); ++i) {
    const Segment& s = image.segment(i);
    Check(s.memsz > 0 && s.filesz <= s.memsz);
    Check(s.offset <= size && s.filesz <= size - s.offset);
    Check(!(s.writable() && s.executable()));
    Check(s.page_base() >= policy.min_vaddr && s.page_end() > s.page_base());
    Check(s.page_end() - 1 <= policy.max_vaddr);
    for (size_t j = 0; j < i; ++j) {
      const Segment& t = image.segment(j);
      Check(s.page_end() <= t.page_base() || t.page_end() <= s.page_base());
    }
    if (s.executable() && image.entry() >= s.vaddr && image.entry() - s.vaddr < s.memsz) {
      entry_found = true;
    }
  }
  Check(entry_found);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const Policy policies[] = {hiillos::elf::kKernelPolicy, hiillos::elf::kUserPolicy,
                             Policy{0, ~0ull, true}};
  for (const Policy& policy : policies) {
    auto result = hiillos::elf::Parse(data, size, policy);
    if (result.ok()) CheckImage(result.value(), size, policy);
  }
  return 0;
}
