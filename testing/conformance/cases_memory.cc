// testing/conformance/cases_memory.cc — MemoryAllocFrame/Vmem/Process/Thread and MemoryInfo.
#include "testing/conformance/child.h"
#include "testing/conformance/harness.h"
#include "uapi/object_type.h"
#include "uapi/rights.h"

namespace hiillos::conformance {
namespace {

using uapi::ObjectType;
using uapi::Rights;
using uapi::Status;

constexpr uint64_t kBadHandles[] = {0, 60000, uint64_t{1} << 40};

// The memory calls' common capability errors: bad handles, a capability of another type, and a
// Memory capability without the right the call needs.
template <typename Call>
void ExpectMemoryCapErrors(Call call, Rights needed) {
  for (uint64_t bad : kBadHandles) EXPECT_STATUS(call(bad), Status::kInvalidCapability);
  EXPECT_STATUS(call(kOwnVmem), Status::kWrongType);
  EXPECT_STATUS(call(kBootInfoFrame), Status::kWrongType);
  auto weak = rt::CapDerive(kMemory, Rights{Rights::kAll.bits & ~needed.bits});
  EXPECT_OK(weak);
  if (!weak.ok()) return;
  EXPECT_STATUS(call(weak.value()), Status::kMissingRights);
  EXPECT_OK(rt::CapDelete(weak.value()));
}

CONFORMANCE_CASE(memory_alloc_frame) {
  const unsigned kOrders[] = {0u, 1u, 4u, 9u};
  for (unsigned order : kOrders) {
    auto frame = rt::MemoryAllocFrame(kMemory, order);
    EXPECT_OK(frame);
    if (!frame.ok()) continue;
    auto info = rt::CapIdentify(frame.value());
    EXPECT_TRUE(info.ok() && info.value().type == ObjectType::kFrame &&
                info.value().rights == Rights::kAll);
    auto frame_info = rt::FrameInfo(frame.value());
    EXPECT_TRUE(frame_info.ok() && frame_info.value().size_bytes == (0x1000ull << order));
    EXPECT_TRUE(frame_info.ok() && frame_info.value().device_phys == 0);
    EXPECT_OK(rt::CapDelete(frame.value()));
  }
  EXPECT_STATUS(rt::raw::MemoryAllocFrame(kMemory, uapi::kMaxFrameOrder + 1),
                Status::kInvalidArgument);
  EXPECT_STATUS(rt::raw::MemoryAllocFrame(kMemory, ~0ull), Status::kInvalidArgument);
  // 1 GiB is more than this machine's budget.
  EXPECT_STATUS(rt::raw::MemoryAllocFrame(kMemory, uapi::kMaxFrameOrder), Status::kOutOfMemory);
  ExpectMemoryCapErrors([](uint64_t memory) { return rt::raw::MemoryAllocFrame(memory, 0); },
                        Rights::kWrite);
}

CONFORMANCE_CASE(memory_frames_are_zeroed) {
  // Dirty a frame, free it, and check that new frames never show old contents.
  for (int round = 0; round < 2; ++round) {
    auto frame = rt::MemoryAllocFrame(kMemory, 2);
    EXPECT_OK(frame);
    if (!frame.ok()) return;
    EXPECT_OK(rt::VmemMap(kOwnVmem, frame.value(), kScratchBase, uapi::kMapRead | uapi::kMapWrite,
                          kMemory));
    auto* words = reinterpret_cast<volatile uint64_t*>(kScratchBase);
    bool zero = true;
    for (uint64_t i = 0; i < 0x4000 / 8; ++i) zero = zero && words[i] == 0;
    EXPECT_TRUE(zero);
    for (uint64_t i = 0; i < 0x4000 / 8; ++i) words[i] = 0xdead'beef'0000'0000ull | i;
    EXPECT_OK(rt::VmemUnmap(kOwnVmem, kScratchBase));
    EXPECT_OK(rt::CapDelete(frame.value()));
  }
}

CONFORMANCE_CASE(memory_alloc_vmem_process_thread) {
  auto vmem = rt::MemoryAllocVmem(kMemory);
  EXPECT_OK(vmem);
  if (!vmem.ok()) return;
  auto process = rt::MemoryAllocProcess(kMemory, vmem.value());
  EXPECT_OK(process);
  auto thread = [&]() -> rt::SysOr<Handle> {
    if (!process.ok()) return Err(process.error());
    return rt::MemoryAllocThread(kMemory, process.value());
  }();
  EXPECT_OK(thread);
  auto type_of = [](const rt::SysOr<Handle>& handle) {
    if (!handle.ok()) return ObjectType::kNull;
    auto info = rt::CapIdentify(handle.value());
    return info.ok() ? info.value().type : ObjectType::kNull;
  };
  EXPECT_TRUE(type_of(vmem) == ObjectType::kVmem);
  EXPECT_TRUE(type_of(process) == ObjectType::kProcess);
  EXPECT_TRUE(type_of(thread) == ObjectType::kThread);
  ExpectMemoryCapErrors([](uint64_t memory) { return rt::raw::MemoryAllocVmem(memory); },
                        Rights::kWrite);
  if (process.ok()) {
    // Process: the second argument must be a Vmem with kWrite; thread: a Process with kWrite.
    for (uint64_t bad : kBadHandles) {
      EXPECT_STATUS(rt::raw::MemoryAllocProcess(kMemory, bad), Status::kInvalidCapability);
      EXPECT_STATUS(rt::raw::MemoryAllocThread(kMemory, bad), Status::kInvalidCapability);
    }
    EXPECT_STATUS(rt::raw::MemoryAllocProcess(kMemory, process.value()), Status::kWrongType);
    EXPECT_STATUS(rt::raw::MemoryAllocThread(kMemory, vmem.value()), Status::kWrongType);
    auto read_vmem = rt::CapDerive(vmem.value(), Rights::kRead | Rights::kMap);
    auto read_process = rt::CapDerive(process.value(), Rights::kRead);
    if (read_vmem.ok() && read_process.ok()) {
      EXPECT_STATUS(rt::raw::MemoryAllocProcess(kMemory, read_vmem.value()),
                    Status::kMissingRights);
      EXPECT_STATUS(rt::raw::MemoryAllocThread(kMemory, read_process.value()),
                    Status::kMissingRights);
    }
    if (read_vmem.ok()) EXPECT_OK(rt::CapDelete(read_vmem.value()));
    if (read_process.ok()) EXPECT_OK(rt::CapDelete(read_process.value()));
    ExpectMemoryCapErrors(
        [&](uint64_t memory) { return rt::raw::MemoryAllocProcess(memory, vmem.value()); },
        Rights::kWrite);
    ExpectMemoryCapErrors(
        [&](uint64_t memory) { return rt::raw::MemoryAllocThread(memory, process.value()); },
        Rights::kWrite);
  }
  if (thread.ok()) EXPECT_OK(rt::CapDelete(thread.value()));
  if (process.ok()) EXPECT_OK(rt::CapDelete(process.value()));
  EXPECT_OK(rt::CapDelete(vmem.value()));
}

CONFORMANCE_CASE(memory_info_tracks_use) {
  auto before = rt::MemoryInfo(kMemory);
  EXPECT_OK(before);
  auto frame = rt::MemoryAllocFrame(kMemory, 3);
  EXPECT_OK(frame);
  auto during = rt::MemoryInfo(kMemory);
  if (frame.ok()) EXPECT_OK(rt::CapDelete(frame.value()));
  auto after = rt::MemoryInfo(kMemory);
  if (before.ok() && during.ok() && after.ok()) {
    EXPECT_TRUE(during.value().used_bytes >= before.value().used_bytes + 0x8000);
    EXPECT_TRUE(during.value().budget_bytes + 0x8000 <= before.value().budget_bytes);
    // Back down (other CPUs may still be returning the previous case's thread stacks, so
    // "at most" rather than "exactly"; the harness checks the exact counters).
    EXPECT_TRUE(after.value().used_bytes <= before.value().used_bytes);
    EXPECT_TRUE(after.value().used_bytes + 0x8000 <= during.value().used_bytes);
    // Budget and use always add up to the same total.
    EXPECT_EQ(during.value().budget_bytes + during.value().used_bytes,
              before.value().budget_bytes + before.value().used_bytes);
  }
  EXPECT_STATUS(rt::raw::MemoryInfo(kMemory, 0), Status::kBadAddress);
  EXPECT_STATUS(rt::raw::MemoryInfo(kMemory, 0xffff'8000'0000'0000ull), Status::kBadAddress);
  EXPECT_STATUS(rt::raw::MemoryInfo(kMemory, uapi::kRootBootInfoAddress), Status::kBadAddress);
  uapi::MemoryInfo sink{};
  ExpectMemoryCapErrors(
      [&](uint64_t memory) {
        return rt::raw::MemoryInfo(memory, reinterpret_cast<uint64_t>(&sink));
      },
      Rights::kRead);
}

}  // namespace
}  // namespace hiillos::conformance
