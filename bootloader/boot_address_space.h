// bootloader/boot_address_space.h — the kernel's first address space: its segments at their link
// addresses (W^X as the ELF says), the HHDM, and an identity map of the hand-off trampoline page.
//
// Pure logic over a lib/paging Env (no efi.h): host tests build it in simulated memory.
#pragma once

#include <stdint.h>

#include "lib/base/result.h"
#include "lib/elf/image.h"
#include "lib/paging/page_table.h"
#include "uapi/boot_info.h"

namespace hiillos::loader {

struct BootMappings {
  const elf::Image* kernel_image;
  uint64_t kernel_phys_base;  // physical address of kernel_image->page_base()
  uint64_t hhdm_bytes;        // physical [0, hhdm_bytes) at uapi::kHhdmBase; 4 KiB multiple
  paging::PageSize hhdm_largest_page;  // k1G when the CPU has 1-GByte pages, else k2M
  uint64_t trampoline_phys;            // one 4 KiB page mapped at the same virtual address
};

enum class MappingStep : uint8_t { kLayout, kRoot, kKernelSegment, kHhdm, kTrampoline };

struct MappingError {
  MappingStep step;
  paging::Error error;  // meaningless for kLayout
};

// Upper bound of the page-table pages BuildBootAddressSpace needs.
uint64_t TablePagesNeeded(const BootMappings& mappings);

const char* MappingStepString(MappingStep step);
const char* PagingErrorString(paging::Error error);

namespace internal {
inline Err<MappingError> Fail(MappingStep step, paging::Error error) {
  return Err{MappingError{step, error}};
}
}  // namespace internal

// Returns the physical address of the new PML4. The HHDM is writable and never executable; the
// trampoline page is executable and read-only; nothing is user-accessible or global.
template <typename Env>
Result<uint64_t, MappingError> BuildBootAddressSpace(Env& env, const BootMappings& m) {
  using internal::Fail;
  if (m.hhdm_bytes == 0 || m.hhdm_bytes > uapi::kKernelBase - uapi::kHhdmBase ||
      (m.kernel_phys_base & 0xfff) != 0 || (m.trampoline_phys & 0xfff) != 0) {
    return Fail(MappingStep::kLayout, paging::Error::kMisaligned);
  }
  auto created = paging::AddressSpace<Env>::Create(env);
  if (!created.ok()) return Fail(MappingStep::kRoot, created.error());
  paging::AddressSpace<Env> space = created.value();

  const uint64_t virt_base = m.kernel_image->page_base();
  for (const elf::Segment& segment : *m.kernel_image) {
    paging::Attributes attrs;
    attrs.writable = segment.writable();
    attrs.executable = segment.executable();
    uint64_t phys = m.kernel_phys_base + (segment.page_base() - virt_base);
    auto mapped =
        space.MapRange(segment.page_base(), phys, segment.page_end() - segment.page_base(), attrs,
                       paging::PageSize::k4K);
    if (!mapped.ok()) return Fail(MappingStep::kKernelSegment, mapped.error());
  }

  paging::Attributes hhdm;
  hhdm.writable = true;
  auto direct = space.MapRange(uapi::kHhdmBase, 0, m.hhdm_bytes, hhdm, m.hhdm_largest_page);
  if (!direct.ok()) return Fail(MappingStep::kHhdm, direct.error());

  paging::Attributes code;
  code.executable = true;
  auto trampoline = space.Map(m.trampoline_phys, m.trampoline_phys, paging::PageSize::k4K, code);
  if (!trampoline.ok()) return Fail(MappingStep::kTrampoline, trampoline.error());
  return space.root();
}

}  // namespace hiillos::loader
