// kernel/object/testing/fake_objects.cc — the destroy table of host test binaries (fakes only)
// and their per-host-thread destroy work lists.
#include "kernel/object/testing/fake_objects.h"

#include "kernel/object/destroy_table.h"

namespace hiillos::object {

constinit const DestroyTable kDestroyTable =
    MakeDestroyTable<testing::FakeFrame, testing::FakeThread, testing::FakeNotify>();

// Each host thread is one execution context with its own destroy work list.
WorkStack* CurrentDestroyStack() {
  static thread_local WorkStack stack;
  return &stack;
}

void BetweenDestructions() {}

}  // namespace hiillos::object
