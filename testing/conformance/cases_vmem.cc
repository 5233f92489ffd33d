// testing/conformance/cases_vmem.cc — FrameInfo, VmemMap, VmemUnmap: mapping rules (one
// mapping per frame capability, no overlaps, W^X, rights per access), and shared frames.
#include "services/lib/page_allocator.h"
#include "testing/conformance/child.h"
#include "testing/conformance/harness.h"
#include "uapi/boot_info.h"
#include "uapi/rights.h"

namespace hiillos::conformance {
namespace {

using uapi::Rights;
using uapi::Status;

constexpr uint64_t kR = uapi::kMapRead, kW = uapi::kMapWrite, kX = uapi::kMapExecute;
constexpr uint64_t kA = kScratchBase;  // scratch addresses
constexpr uint64_t kB = kScratchBase + 0x10'0000;

// A fresh frame capability, deleted when the scope ends.
class TestFrame {
 public:
  explicit TestFrame(unsigned order = 0) {
    auto frame = rt::MemoryAllocFrame(kMemory, order);
    EXPECT_OK(frame);
    handle_ = frame.ok() ? frame.value() : 0;
  }
  ~TestFrame() {
    if (handle_ != 0) (void)rt::CapDelete(handle_);
  }
  Handle handle() const { return handle_; }

 private:
  Handle handle_;
};

uint64_t Mapped(Handle frame) {
  auto info = rt::FrameInfo(frame);
  return info.ok() ? info.value().mapped : ~0ull;
}

CONFORMANCE_CASE(frame_info) {
  TestFrame frame(1);
  auto info = rt::FrameInfo(frame.handle());
  EXPECT_OK(info);
  EXPECT_TRUE(info.ok() && info.value().size_bytes == 0x2000 && info.value().mapped == 0);
  EXPECT_STATUS(rt::raw::FrameInfo(frame.handle(), 0), Status::kBadAddress);
  EXPECT_STATUS(rt::raw::FrameInfo(frame.handle(), uapi::kRootBootInfoAddress),
                Status::kBadAddress);
  uapi::FrameInfo sink{};
  const uint64_t out = reinterpret_cast<uint64_t>(&sink);
  EXPECT_STATUS(rt::raw::FrameInfo(0, out), Status::kInvalidCapability);
  EXPECT_STATUS(rt::raw::FrameInfo(60000, out), Status::kInvalidCapability);
  EXPECT_STATUS(rt::raw::FrameInfo(kMemory, out), Status::kWrongType);
  auto no_read = rt::CapDerive(frame.handle(), Rights::kMap);
  EXPECT_OK(no_read);
  if (no_read.ok()) {
    EXPECT_STATUS(rt::raw::FrameInfo(no_read.value(), out), Status::kMissingRights);
    EXPECT_OK(rt::CapDelete(no_read.value()));
  }
  // The boot-info frame is mapped by the kernel through its capability.
  EXPECT_EQ(Mapped(kBootInfoFrame), 1u);
}

CONFORMANCE_CASE(vmem_map_write_read_unmap) {
  TestFrame frame(0);
  EXPECT_OK(rt::VmemMap(kOwnVmem, frame.handle(), kA, kR | kW, kMemory));
  EXPECT_EQ(Mapped(frame.handle()), 1u);
  auto* word = reinterpret_cast<volatile uint64_t*>(kA + 8);
  *word = 0x1234'5678;
  EXPECT_EQ(*word, 0x1234'5678u);
  // The kernel reads and writes through the mapping too.
  uapi::SystemInfo* info = reinterpret_cast<uapi::SystemInfo*>(kA + 64);
  EXPECT_OK(rt::raw::SystemInfo(reinterpret_cast<uint64_t>(info)));
  EXPECT_TRUE(info->cpus_online >= 1);
  EXPECT_OK(rt::VmemUnmap(kOwnVmem, kA));
  EXPECT_EQ(Mapped(frame.handle()), 0u);
  EXPECT_STATUS(rt::VmemUnmap(kOwnVmem, kA), Status::kNotMapped);
  EXPECT_STATUS(rt::raw::SystemInfo(reinterpret_cast<uint64_t>(info)), Status::kBadAddress);
  // Unmapped, the same capability maps again (elsewhere or at the same place).
  EXPECT_OK(rt::VmemMap(kOwnVmem, frame.handle(), kB, kR, kMemory));
  EXPECT_EQ(*reinterpret_cast<volatile uint64_t*>(kB + 8), 0x1234'5678u);  // same memory
  EXPECT_OK(rt::VmemUnmap(kOwnVmem, kB));
}

CONFORMANCE_CASE(vmem_one_mapping_per_capability) {
  TestFrame frame(0);
  EXPECT_OK(rt::VmemMap(kOwnVmem, frame.handle(), kA, kR | kW, kMemory));
  EXPECT_STATUS(rt::VmemMap(kOwnVmem, frame.handle(), kB, kR, kMemory), Status::kAlreadyMapped);
  // A clone maps the same frame again: both views share memory.
  auto clone = rt::CapDerive(frame.handle(), Rights::kRead | Rights::kMap);
  EXPECT_OK(clone);
  if (clone.ok()) {
    EXPECT_OK(rt::VmemMap(kOwnVmem, clone.value(), kB, kR, kMemory));
    *reinterpret_cast<volatile uint64_t*>(kA) = 77;
    EXPECT_EQ(*reinterpret_cast<volatile uint64_t*>(kB), 77u);
    // The clone lacks kWrite: a second, writable mapping through it is refused.
    EXPECT_OK(rt::VmemUnmap(kOwnVmem, kB));
    EXPECT_STATUS(rt::VmemMap(kOwnVmem, clone.value(), kB, kR | kW, kMemory),
                  Status::kMissingRights);
    EXPECT_EQ(Mapped(clone.value()), 0u);
    EXPECT_OK(rt::CapDelete(clone.value()));
  }
  // Deleting a mapped capability keeps the mapping (and the frame) alive until unmapped.
  auto extra = rt::CapDerive(frame.handle(), Rights::kAll);
  EXPECT_OK(extra);
  if (extra.ok()) {
    EXPECT_OK(rt::VmemMap(kOwnVmem, extra.value(), kB, kR, kMemory));
    EXPECT_OK(rt::CapDelete(extra.value()));
    EXPECT_EQ(*reinterpret_cast<volatile uint64_t*>(kB), 77u);
    EXPECT_OK(rt::VmemUnmap(kOwnVmem, kB));
  }
  EXPECT_OK(rt::VmemUnmap(kOwnVmem, kA));
}

// A map that fails leaves no mark on its capability, whichever step refused it, and the errors
// keep their order (AlreadyMapped before Overlap).
CONFORMANCE_CASE(vmem_failed_maps_leave_no_mark) {
  TestFrame first(0);
  TestFrame second(0);
  EXPECT_OK(rt::VmemMap(kOwnVmem, first.handle(), kA, kR, kMemory));
  EXPECT_STATUS(rt::VmemMap(kOwnVmem, first.handle(), kA, kR, kMemory), Status::kAlreadyMapped);
  EXPECT_STATUS(rt::VmemMap(kOwnVmem, second.handle(), kA, kR, kMemory), Status::kOverlap);
  EXPECT_EQ(Mapped(second.handle()), 0u);
  EXPECT_STATUS(rt::VmemMap(kOwnVmem, second.handle(), kB, kR | kW | kX, kMemory),
                Status::kPermissionDenied);
  EXPECT_STATUS(rt::VmemMap(kOwnVmem, second.handle(), kB + 1, kR, kMemory),
                Status::kInvalidArgument);
  EXPECT_EQ(Mapped(second.handle()), 0u);
  // Nothing stuck: the capability still maps.
  EXPECT_OK(rt::VmemMap(kOwnVmem, second.handle(), kB, kR, kMemory));
  EXPECT_EQ(Mapped(second.handle()), 1u);
  EXPECT_OK(rt::VmemUnmap(kOwnVmem, kB));
  EXPECT_OK(rt::VmemUnmap(kOwnVmem, kA));
  EXPECT_EQ(Mapped(first.handle()), 0u);
}

// One thread's view of the race below: maps the shared capability at `base` and unmaps it again,
// `rounds` times; every attempt either maps or finds the capability mapped by the other thread.
struct MapRace {
  Handle frame;
  uint64_t base;
  uint64_t rounds;
  uint64_t mapped;
  uint64_t already_mapped;
  uint64_t unexpected;
};

void RunMapRace(uint64_t arg) {
  auto* race = reinterpret_cast<MapRace*>(arg);
  for (uint64_t i = 0; i < race->rounds; ++i) {
    auto map = rt::VmemMap(kOwnVmem, race->frame, race->base, kR, kMemory);
    if (map.ok()) {
      ++race->mapped;
      if (!rt::VmemUnmap(kOwnVmem, race->base).ok()) ++race->unexpected;
    } else if (map.error() == Status::kAlreadyMapped) {
      ++race->already_mapped;
    } else {
      ++race->unexpected;
    }
  }
}

// Two threads of this process map one frame capability at different addresses at once: the
// capability's mark admits one mapping at a time and is never left set.
CONFORMANCE_CASE(vmem_concurrent_maps_of_one_capability) {
  constexpr uint64_t kRounds = 300;
  TestFrame frame(0);
  MapRace mine{frame.handle(), kA, kRounds, 0, 0, 0};
  MapRace theirs{frame.handle(), kB, kRounds, 0, 0, 0};
  auto stack = rt::Pages().Allocate(2);
  EXPECT_OK(stack);
  if (!stack.ok()) return;
  auto thread = rt::MemoryAllocThread(kMemory, kSelf);
  EXPECT_OK(thread);
  if (thread.ok()) {
    const uapi::ThreadRegs regs =
        SharedChildRegs(RunMapRace, reinterpret_cast<uint64_t>(&theirs), stack.value());
    EXPECT_OK(rt::ThreadSetRegs(thread.value(), &regs));
    EXPECT_OK(rt::ThreadStart(thread.value()));
    RunMapRace(reinterpret_cast<uint64_t>(&mine));
    auto exit = rt::ThreadWait(thread.value());
    EXPECT_OK(exit);
    if (exit.ok()) EXPECT_TRUE(exit.value().reason == uapi::ExitReason::kExited);
    EXPECT_OK(rt::CapDelete(thread.value()));
  }
  EXPECT_EQ(mine.unexpected + theirs.unexpected, 0u);
  EXPECT_EQ(mine.mapped + mine.already_mapped, kRounds);
  EXPECT_EQ(theirs.mapped + theirs.already_mapped, thread.ok() ? kRounds : 0u);
  EXPECT_TRUE(mine.mapped + theirs.mapped > 0);  // a refusal means the other one had mapped it
  EXPECT_EQ(Mapped(frame.handle()), 0u);
  EXPECT_OK(rt::Pages().Free(stack.value()));
}

CONFORMANCE_CASE(vmem_mappings_never_overlap) {
  TestFrame big(2);  // 16 KiB
  TestFrame small(0);
  EXPECT_OK(rt::VmemMap(kOwnVmem, big.handle(), kA, kR, kMemory));
  const uint64_t kInside[] = {kA, kA + 0x1000, kA + 0x3000};
  for (uint64_t at : kInside) {
    EXPECT_STATUS(rt::VmemMap(kOwnVmem, small.handle(), at, kR, kMemory), Status::kOverlap);
  }
  TestFrame covering(3);  // 32 KiB starting below: covers the whole 16 KiB mapping
  EXPECT_STATUS(rt::VmemMap(kOwnVmem, covering.handle(), kA - 0x2000, kR, kMemory),
                Status::kOverlap);
  EXPECT_EQ(Mapped(small.handle()), 0u);  // failed maps leave no mark
  EXPECT_EQ(Mapped(covering.handle()), 0u);
  // Adjacent is fine.
  EXPECT_OK(rt::VmemMap(kOwnVmem, small.handle(), kA + 0x4000, kR, kMemory));
  EXPECT_OK(rt::VmemMap(kOwnVmem, covering.handle(), kA - 0x8000, kR, kMemory));
  // The program's own image and stack count too.
  TestFrame other(0);
  EXPECT_STATUS(rt::VmemMap(kOwnVmem, other.handle(), 0x40'0000, kR, kMemory), Status::kOverlap);
  EXPECT_STATUS(rt::VmemMap(kOwnVmem, other.handle(), uapi::kRootBootInfoAddress, kR, kMemory),
                Status::kOverlap);
  // Unmap only takes a mapping's exact start.
  EXPECT_STATUS(rt::VmemUnmap(kOwnVmem, kA + 0x1000), Status::kNotMapped);
  EXPECT_STATUS(rt::VmemUnmap(kOwnVmem, kA + 1), Status::kNotMapped);
  EXPECT_STATUS(rt::VmemUnmap(kOwnVmem, 0xffff'8000'0000'0000ull), Status::kNotMapped);
  EXPECT_OK(rt::VmemUnmap(kOwnVmem, kA));
  EXPECT_OK(rt::VmemUnmap(kOwnVmem, kA + 0x4000));
  EXPECT_OK(rt::VmemUnmap(kOwnVmem, kA - 0x8000));
}

CONFORMANCE_CASE(vmem_map_argument_errors) {
  TestFrame frame(0);
  const Handle f = frame.handle();
  // Flags: read is required, unknown bits are refused, write+execute never.
  EXPECT_STATUS(rt::raw::VmemMap(kOwnVmem, f, kA, 0, kMemory), Status::kInvalidArgument);
  EXPECT_STATUS(rt::raw::VmemMap(kOwnVmem, f, kA, kW, kMemory), Status::kInvalidArgument);
  EXPECT_STATUS(rt::raw::VmemMap(kOwnVmem, f, kA, kR | 8, kMemory), Status::kInvalidArgument);
  EXPECT_STATUS(rt::raw::VmemMap(kOwnVmem, f, kA, kR | kW | kX, kMemory),
                Status::kPermissionDenied);
  // Addresses: page aligned, inside user space, never page 0 or the last user page.
  const uint64_t kBadAddresses[] = {kA + 1,
                                    kA + 0x800,
                                    uint64_t{0},
                                    0x0000'7fff'ffff'f000ull,
                                    0x0000'8000'0000'0000ull,
                                    0xffff'8000'0000'0000ull,
                                    0xffff'ffff'ffff'f000ull};
  for (uint64_t bad : kBadAddresses) {
    EXPECT_STATUS(rt::raw::VmemMap(kOwnVmem, f, bad, kR, kMemory), Status::kInvalidArgument);
  }
  // Capabilities.
  EXPECT_STATUS(rt::raw::VmemMap(0, f, kA, kR, kMemory), Status::kInvalidCapability);
  EXPECT_STATUS(rt::raw::VmemMap(kOwnVmem, 0, kA, kR, kMemory), Status::kInvalidCapability);
  EXPECT_STATUS(rt::raw::VmemMap(kOwnVmem, uint64_t{1} << 33, kA, kR, kMemory),
                Status::kInvalidCapability);
  EXPECT_STATUS(rt::raw::VmemMap(kMemory, f, kA, kR, kMemory), Status::kWrongType);
  EXPECT_STATUS(rt::raw::VmemMap(kOwnVmem, kMemory, kA, kR, kMemory), Status::kWrongType);
  auto vmem_no_map = rt::CapDerive(kOwnVmem, Rights::kRead | Rights::kWrite);
  auto frame_no_map = rt::CapDerive(f, Rights::kRead | Rights::kWrite | Rights::kExecute);
  auto frame_read_only = rt::CapDerive(f, Rights::kRead | Rights::kMap);
  auto frame_no_read = rt::CapDerive(f, Rights::kMap | Rights::kWrite);
  if (vmem_no_map.ok() && frame_no_map.ok() && frame_read_only.ok() && frame_no_read.ok()) {
    EXPECT_STATUS(rt::raw::VmemMap(vmem_no_map.value(), f, kA, kR, kMemory),
                  Status::kMissingRights);
    EXPECT_STATUS(rt::raw::VmemMap(kOwnVmem, frame_no_map.value(), kA, kR, kMemory),
                  Status::kMissingRights);
    EXPECT_STATUS(rt::raw::VmemMap(kOwnVmem, frame_read_only.value(), kA, kR | kW, kMemory),
                  Status::kMissingRights);
    EXPECT_STATUS(rt::raw::VmemMap(kOwnVmem, frame_read_only.value(), kA, kR | kX, kMemory),
                  Status::kMissingRights);
    EXPECT_STATUS(rt::raw::VmemMap(kOwnVmem, frame_no_read.value(), kA, kR, kMemory),
                  Status::kMissingRights);
    EXPECT_STATUS(rt::raw::VmemUnmap(vmem_no_map.value(), kA), Status::kMissingRights);
  } else {
    EXPECT_TRUE(false);
  }
  rt::SysOr<Handle>* const derived_caps[] = {&vmem_no_map, &frame_no_map, &frame_read_only,
                                             &frame_no_read};
  for (auto* derived : derived_caps) {
    if (derived->ok()) EXPECT_OK(rt::CapDelete(derived->value()));
  }
  EXPECT_STATUS(rt::raw::VmemUnmap(0, kA), Status::kInvalidCapability);
  EXPECT_STATUS(rt::raw::VmemUnmap(kMemory, kA), Status::kWrongType);
  // Nothing of the above left a mapping or a mark.
  EXPECT_EQ(Mapped(f), 0u);
  EXPECT_STATUS(rt::VmemUnmap(kOwnVmem, kA), Status::kNotMapped);
}

CONFORMANCE_CASE(vmem_boot_info_is_read_only) {
  // Readable...
  const auto* magic = reinterpret_cast<const volatile uint64_t*>(uapi::kRootBootInfoAddress);
  EXPECT_EQ(*magic, uapi::kBootInfoMagic);
  // ...and its capability cannot map it writable or executable.
  auto clone = rt::CapDerive(kBootInfoFrame, Rights::kRead | Rights::kMap);
  EXPECT_OK(clone);
  if (clone.ok()) {
    EXPECT_STATUS(rt::VmemMap(kOwnVmem, clone.value(), kA, kR | kW, kMemory),
                  Status::kMissingRights);
    EXPECT_OK(rt::VmemMap(kOwnVmem, clone.value(), kA, kR, kMemory));
    EXPECT_EQ(*reinterpret_cast<const volatile uint64_t*>(kA), uapi::kBootInfoMagic);
    EXPECT_OK(rt::VmemUnmap(kOwnVmem, kA));
    EXPECT_OK(rt::CapDelete(clone.value()));
  }
}

CONFORMANCE_CASE(vmem_large_frames_and_other_address_spaces) {
  // A 2 MiB frame at a 2 MiB-aligned address (the kernel may use one large page).
  TestFrame large(9);
  const uint64_t at = kScratchBase + 0x4000'0000;
  EXPECT_OK(rt::VmemMap(kOwnVmem, large.handle(), at, kR | kW, kMemory));
  auto* first = reinterpret_cast<volatile uint64_t*>(at);
  auto* last = reinterpret_cast<volatile uint64_t*>(at + 0x20'0000 - 8);
  *first = 1;
  *last = 2;
  EXPECT_EQ(*first + *last, 3u);
  EXPECT_OK(rt::VmemUnmap(kOwnVmem, at));
  // Another address space: mappings there are independent of ours.
  auto vmem = rt::MemoryAllocVmem(kMemory);
  EXPECT_OK(vmem);
  if (vmem.ok()) {
    auto clone = rt::CapDerive(large.handle(), Rights::kAll);
    EXPECT_OK(rt::VmemMap(vmem.value(), large.handle(), at, kR, kMemory));
    if (clone.ok()) EXPECT_OK(rt::VmemMap(kOwnVmem, clone.value(), at, kR, kMemory));
    EXPECT_EQ(*last, 2u);
    EXPECT_OK(rt::VmemUnmap(kOwnVmem, at));
    EXPECT_STATUS(rt::VmemUnmap(kOwnVmem, at), Status::kNotMapped);
    // Deleting that Vmem with a mapping inside clears the frame capability's mark.
    EXPECT_EQ(Mapped(large.handle()), 1u);
    EXPECT_OK(rt::CapDelete(vmem.value()));
    EXPECT_EQ(Mapped(large.handle()), 0u);
    if (clone.ok()) EXPECT_OK(rt::CapDelete(clone.value()));
  }
}

CONFORMANCE_CASE(vmem_large_frame_over_tables_left_by_small_mappings) {
  // Page tables stay after an unmap (docs/kernel-memory.md): a 4 KiB page mapped and unmapped
  // inside a 2 MiB region leaves an empty PT where a 2 MiB page would go. A 2 MiB frame mapped
  // there afterwards must still map whole (the kernel uses 4 KiB pages for it then).
  const uint64_t region = kScratchBase + 0x8000'0000;  // 2 MiB and 1 GiB aligned
  TestFrame small(0);
  EXPECT_OK(rt::VmemMap(kOwnVmem, small.handle(), region + 0x3000, kR | kW, kMemory));
  EXPECT_OK(rt::VmemUnmap(kOwnVmem, region + 0x3000));
  TestFrame large(9);
  EXPECT_OK(rt::VmemMap(kOwnVmem, large.handle(), region, kR | kW, kMemory));
  for (uint64_t offset = 0; offset < 0x20'0000; offset += 0x1000) {
    *reinterpret_cast<volatile uint64_t*>(region + offset) = offset;
  }
  uint64_t sum = 0;
  for (uint64_t offset = 0; offset < 0x20'0000; offset += 0x1000) {
    sum += *reinterpret_cast<volatile uint64_t*>(region + offset) == offset ? 1 : 0;
  }
  EXPECT_EQ(sum, 512u);
  EXPECT_OK(rt::VmemUnmap(kOwnVmem, region));
  EXPECT_STATUS(rt::VmemUnmap(kOwnVmem, region), Status::kNotMapped);
}

}  // namespace
}  // namespace hiillos::conformance
