// kernel/object/testing/fake_objects.cc — the destroy table of host test binaries (fakes only).
#include "kernel/object/testing/fake_objects.h"

#include "kernel/object/destroy_table.h"

namespace hiillos::object {

constinit const DestroyTable kDestroyTable =
    MakeDestroyTable<testing::FakeFrame, testing::FakeThread, testing::FakeNotify>();

}  // namespace hiillos::object
