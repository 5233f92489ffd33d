// testing/conformance/cases_fuzz.cc — random syscalls with hostile arguments from a child
// process that holds only a few capabilities: the kernel must answer every one with a status
// (no panic, no hang), the child must be able to exit normally, and nothing may leak.
#include "testing/conformance/child.h"
#include "testing/conformance/harness.h"
#include "uapi/rights.h"

namespace hiillos::conformance {
namespace {

using uapi::Rights;
using uapi::Status;

constexpr int kCalls = 3000;

uint64_t Next(uint64_t& state) {  // xorshift64*
  state ^= state >> 12;
  state ^= state << 25;
  state ^= state >> 27;
  return state * 0x2545'f491'4f6c'dd1dull;
}

uint64_t Interesting(uint64_t& state, uint64_t buffer) {
  const uint64_t values[] = {
      0,
      1,
      2,
      3,
      4,
      5,
      6,
      7,
      8,
      60000,
      uint64_t{1} << 32,
      ~uint64_t{0},
      0xffff'8000'0000'0000ull,  // HHDM
      0xffff'ffff'8000'0000ull,  // kernel image
      0x0000'8000'0000'0000ull,  // non-canonical
      0x0000'7fff'ffff'fff8ull,  // runs off user space
      uapi::kRootBootInfoAddress,
      kScratchBase + 0x5000'0000,  // page aligned, unmapped
      buffer,                      // a valid, writable buffer
      buffer + 4090,               // crosses a page boundary (both pages are ours)
      Next(state),
  };
  return values[Next(state) % (sizeof(values) / sizeof(values[0]))];
}

// Runs in the child: `seed` picks the sequence.
void Fuzz(uint64_t seed) {
  // Two pages per child: whatever the kernel writes at `buffer + 4090` stays inside.
  alignas(4096) static uint8_t buffers[4][0x2000];
  uint64_t state = seed | 1;
  uint64_t buffer = reinterpret_cast<uint64_t>(buffers[seed % 4]);
  for (int i = 0; i < kCalls; ++i) {
    uint64_t number = Next(state) % (uapi::kSyscallLimit + 2);
    // Not ThreadExit (it would end the run) nor Log (noise).
    if (number == static_cast<uint64_t>(uapi::Syscall::kThreadExit) ||
        number == static_cast<uint64_t>(uapi::Syscall::kLog)) {
      continue;
    }
    uint64_t a[6];
    for (uint64_t& arg : a) arg = Interesting(state, buffer);
    (void)rt::RawSyscall(number, a[0], a[1], a[2], a[3], a[4], a[5]);
  }
  rt::ThreadExit(0);
}

CONFORMANCE_CASE(fuzz_random_syscalls) {
  const uint64_t seeds[] = {0x1234, 0xfeed'beef};
  for (uint64_t seed : seeds) {
    auto child = SpawnShared(Fuzz, seed, /*start=*/false);
    EXPECT_OK(child);
    if (!child.ok()) return;
    Child c = child.value();
    // What it may play with: read-only memory authority, a frame, an empty address space and a
    // process without threads (no Write on the Memory: it cannot allocate).
    auto vmem = rt::MemoryAllocVmem(kMemory);
    auto frame = rt::MemoryAllocFrame(kMemory, 0);
    auto process = rt::MemoryAllocProcess(kMemory, vmem.ok() ? vmem.value() : 0);
    EXPECT_OK(vmem);
    EXPECT_OK(frame);
    EXPECT_OK(process);
    EXPECT_OK(rt::ProcessGiveCap(c.process, kMemory, Rights::kRead | Rights::kClone));
    if (frame.ok()) EXPECT_OK(rt::ProcessGiveCap(c.process, frame.value(), Rights::kAll));
    if (vmem.ok()) EXPECT_OK(rt::ProcessGiveCap(c.process, vmem.value(), Rights::kAll));
    if (process.ok()) EXPECT_OK(rt::ProcessGiveCap(c.process, process.value(), Rights::kAll));
    EXPECT_OK(rt::ThreadStart(c.thread));
    uapi::ThreadExit exit = Wait(c);
    EXPECT_EQ(static_cast<uint64_t>(exit.reason), static_cast<uint64_t>(uapi::ExitReason::kExited));
    EXPECT_EQ(exit.code, 0u);
    if (process.ok()) EXPECT_OK(rt::CapDelete(process.value()));
    if (frame.ok()) EXPECT_OK(rt::CapDelete(frame.value()));
    if (vmem.ok()) EXPECT_OK(rt::CapDelete(vmem.value()));
    Release(c);
  }
}

}  // namespace
}  // namespace hiillos::conformance
