// kernel/object/tlb.cc — user TLB shootdown: the local flush on every CPU, through a cross call.
#include "kernel/object/tlb.h"

#include "kernel/arch/address_space.h"
#include "kernel/arch/cross_call.h"
#include "lib/base/page_size.h"

namespace hiillos::object {
namespace {

struct FlushRequest {
  uint64_t root;
  uint64_t base;
  uint64_t size;
};

// Cross-call function: interrupt context, no locks.
void FlushOnThisCpu(void* argument) {
  const auto* request = static_cast<const FlushRequest*>(argument);
  arch::FlushTlbLocal(request->root, request->base, request->size);
}

}  // namespace

void FlushTlbLocal(uint64_t root, uint64_t base, uint64_t size) {
  arch::FlushTlbLocal(root, base, size);
}

void FlushTlb(uint64_t root, uint64_t base, uint64_t size) {
  FlushTlbLocal(root, base, size);
  if (arch::OnlineCpus() <= 1) return;
  FlushRequest request{root, base, size};
  arch::RunOnOtherCpus(FlushOnThisCpu, &request);
}

}  // namespace hiillos::object
