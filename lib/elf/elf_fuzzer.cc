// lib/elf/elf_fuzzer.cc — libFuzzer target: Parse must never read out of bounds or crash,
// every accepted image must satisfy the guarantees documented in image.h, and a load plan of an
// accepted image (load_plan.h) keeps its guarantees.
#include <stddef.h>
#include <stdint.h>

#include "lib/elf/load_plan.h"
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

void CheckPlan(const Image& image, uint64_t size, const Policy& policy) {
  auto result = hiillos::elf::PlanLoad(image, size, policy);
  if (!result.ok()) {
    Check(result.error() == hiillos::elf::Error::kTooManyChunks);
    return;
  }
  const hiillos::elf::LoadPlan& plan = result.value();
  Check(plan.entry == image.entry());
  for (size_t i = 0; i < plan.count; ++i) {
    const hiillos::elf::LoadChunk& c = plan.chunks[i];
    Check(c.vaddr % hiillos::kPageSize == 0 && c.order <= hiillos::elf::kMaxLoadChunkOrder);
    Check(c.vaddr >= policy.min_vaddr && c.vaddr + c.size() - 1 <= policy.max_vaddr);
    Check(c.copy_offset <= c.size() && c.copy_size <= c.size() - c.copy_offset);
    Check(c.file_offset <= size && c.copy_size <= size - c.file_offset);
    Check((c.flags & hiillos::elf::kFlagWrite) == 0 || (c.flags & hiillos::elf::kFlagExecute) == 0);
    for (size_t j = 0; j < i; ++j) {
      const hiillos::elf::LoadChunk& d = plan.chunks[j];
      Check(c.vaddr + c.size() <= d.vaddr || d.vaddr + d.size() <= c.vaddr);
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const Policy policies[] = {hiillos::elf::kKernelPolicy, hiillos::elf::kUserPolicy,
                             Policy{0, ~0ull, true}};
  for (const Policy& policy : policies) {
    auto result = hiillos::elf::Parse(data, size, policy);
    if (!result.ok()) continue;
    CheckImage(result.value(), size, policy);
    CheckPlan(result.value(), size, policy);
  }
  return 0;
}
