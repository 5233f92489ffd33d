// kernel/object/tlb.cc — user TLB shootdown: local INVLPG/CR3 flush plus a cross call.
#include "kernel/object/tlb.h"

#include "kernel/arch/x86_64/ipi.h"
#include "kernel/arch/x86_64/mmu.h"
#include "lib/base/page_size.h"

namespace hiillos::object {
namespace {

// Above this many pages one CR3 reload is cheaper than INVLPG per page.
constexpr uint64_t kMaxInvlpgPages = 32;
constexpr uint64_t kCr3AddressMask = 0x000f'ffff'ffff'f000ull;

struct FlushRequest {
  uint64_t root;
  uint64_t base;
  uint64_t size;
};

// Cross-call function: interrupt context, no locks.
void FlushOnThisCpu(void* argument) {
  const auto* request = static_cast<const FlushRequest*>(argument);
  FlushTlbLocal(request->root, request->base, request->size);
}

}  // namespace

void FlushTlbLocal(uint64_t root, uint64_t base, uint64_t size) {
  uint64_t cr3 = arch::ReadCr3();
  if ((cr3 & kCr3AddressMask) != root) return;
  if (size / kPageSize > kMaxInvlpgPages) {
    arch::WriteCr3(cr3);  // user pages are never global: this drops all of them
    return;
  }
  for (uint64_t offset = 0; offset < size; offset += kPageSize) {
    arch::InvalidatePage(base + offset);
  }
}

void FlushTlb(uint64_t root, uint64_t base, uint64_t size) {
  FlushTlbLocal(root, base, size);
  if (arch::OnlineCpus() <= 1) return;
  FlushRequest request{root, base, size};
  arch::RunOnOtherCpus(FlushOnThisCpu, &request);
}

}  // namespace hiillos::object
