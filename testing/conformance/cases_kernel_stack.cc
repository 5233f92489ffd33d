// testing/conformance/cases_kernel_stack.cc — a thread's kernel stack goes back to the kernel
// when the thread exits, not when its last reference goes: exited threads whose capabilities
// are still held cost no stack pages.
#include "testing/conformance/child.h"
#include "testing/conformance/harness.h"

namespace hiillos::conformance {
namespace {

constexpr int kThreads = 8;

void ReturnAtOnce(uint64_t) {}

uint64_t FreePages() {
  auto info = rt::SystemInfo();
  return info.ok() ? info.value().free_pages : 0;
}

}  // namespace

CONFORMANCE_CASE(thread_kernel_stack_freed_at_exit_while_capability_held) {
  Child children[kThreads];
  int made = 0;
  for (; made < kThreads; ++made) {
    auto child = SpawnShared(ReturnAtOnce, 0, /*start=*/false);
    EXPECT_OK(child);
    if (!child.ok()) break;
    children[made] = child.value();
  }
  // Every thread exists (with its kernel stack) and has not run yet.
  uint64_t before = FreePages();
  for (int i = 0; i < made; ++i) EXPECT_OK(rt::ThreadStart(children[i].thread));
  for (int i = 0; i < made; ++i) {
    uapi::ThreadExit exit = Wait(children[i]);
    EXPECT_EQ(static_cast<uint64_t>(exit.reason), static_cast<uint64_t>(uapi::ExitReason::kExited));
  }
  // All exited, every Thread capability still held: each stack (at least a page) is free again.
  uint64_t after = FreePages();
  EXPECT_TRUE(after >= before + static_cast<uint64_t>(made));
  for (int i = 0; i < made; ++i) Release(children[i]);
}

}  // namespace hiillos::conformance
