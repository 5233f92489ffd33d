// bootloader/boot_address_space.cc — table-page estimate and messages for the boot address space.
#include "bootloader/boot_address_space.h"

namespace hiillos::loader {
namespace {

constexpr uint64_t DivideRoundingUp(uint64_t value, uint64_t divisor) {
  return value / divisor + (value % divisor != 0);
}

}  // namespace

uint64_t TablePagesNeeded(const BootMappings& m) {
  constexpr uint64_t k2M = 2ull << 20;
  constexpr uint64_t k1G = 1ull << 30;
  constexpr uint64_t k512G = 512ull << 30;
  uint64_t pages = 1;  // PML4
  // HHDM: PDPTs, plus PDs without 1 GiB pages, plus PTs for a tail that is not 2 MiB aligned
  // (and one PD for a tail that is not 1 GiB aligned).
  pages += DivideRoundingUp(m.hhdm_bytes, k512G);
  pages += m.hhdm_largest_page == paging::PageSize::k1G ? 1 : DivideRoundingUp(m.hhdm_bytes, k1G);
  pages += 1;
  // Kernel: within the top 2 GiB (one PDPT, at most two PDs); one PT per 2 MiB of span, plus
  // one more per segment for spans crossing a 2 MiB line.
  const uint64_t span = m.kernel_image->page_end() - m.kernel_image->page_base();
  pages += 1 + 2 + DivideRoundingUp(span, k2M) + 1 + m.kernel_image->segment_count();
  pages += 3;  // trampoline: PDPT, PD, PT
  return pages;
}

const char* MappingStepString(MappingStep step) {
  switch (step) {
    case MappingStep::kLayout:
      return "address space layout";
    case MappingStep::kRoot:
      return "the PML4";
    case MappingStep::kKernelSegment:
      return "a kernel segment";
    case MappingStep::kHhdm:
      return "the direct map (HHDM)";
    case MappingStep::kTrampoline:
      return "the hand-off trampoline";
  }
  return "unknown mapping step";
}

const char* PagingErrorString(paging::Error error) {
  switch (error) {
    case paging::Error::kOutOfMemory:
      return "out of page-table pages";
    case paging::Error::kMisaligned:
      return "misaligned address";
    case paging::Error::kNonCanonical:
      return "non-canonical address";
    case paging::Error::kAlreadyMapped:
      return "already mapped";
    case paging::Error::kNotMapped:
      return "not mapped";
    case paging::Error::kConflictingPageSize:
      return "conflicting page size";
    case paging::Error::kWriteAndExecute:
      return "writable and executable";
  }
  return "unknown paging error";
}

}  // namespace hiillos::loader
