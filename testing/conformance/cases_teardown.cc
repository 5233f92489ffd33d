// testing/conformance/cases_teardown.cc — teardown at depth: object graphs far deeper than a
// kernel stack could recurse are destroyed completely (the leak check after the case confirms
// every object and slot came back).
#include "testing/conformance/child.h"
#include "testing/conformance/harness.h"
#include "uapi/rights.h"

namespace hiillos::conformance {
namespace {

using uapi::Rights;
using uapi::Status;

constexpr int kChainLength = 1000;

// P[0] owns a capability to P[1], which owns one to P[2], ... Deleting our handle to P[0] after
// dropping the others destroys P[0], whose capabilities go, which destroys P[1], ...: with
// recursive teardown this overflows the kernel stack long before the end of the chain.
CONFORMANCE_CASE(teardown_process_chain_1000_deep) {
  static Handle chain[kChainLength];
  int built = 0;
  for (; built < kChainLength; ++built) {
    auto process = rt::MemoryAllocProcess(kMemory, kOwnVmem);
    EXPECT_OK(process);
    if (!process.ok()) break;
    chain[built] = process.value();
  }
  for (int i = 0; i + 1 < built; ++i) {
    auto given = rt::ProcessGiveCap(chain[i], chain[i + 1], Rights::kRead);
    EXPECT_OK(given);
    if (!given.ok()) break;
  }
  // Only the chain keeps P[1..] alive now; the last deletion tears all of it down.
  for (int i = built - 1; i >= 1; --i) EXPECT_OK(rt::CapDelete(chain[i]));
  if (built > 0) EXPECT_OK(rt::CapDelete(chain[0]));
}

}  // namespace
}  // namespace hiillos::conformance
