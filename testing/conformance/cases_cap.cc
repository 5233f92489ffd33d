// testing/conformance/cases_cap.cc — CapIdentify, CapDerive, CapDelete; handles that are null,
// out of range, free, or another process's.
#include "testing/conformance/child.h"
#include "testing/conformance/harness.h"
#include "uapi/object_type.h"
#include "uapi/rights.h"

namespace hiillos::conformance {
namespace {

using uapi::ObjectType;
using uapi::Rights;
using uapi::Status;

constexpr uint64_t kFreeHandle = 60000;  // in no process's use here
constexpr uint64_t kHugeHandle = uint64_t{1} << 40;

// Handles that are never valid, for every call that takes a capability.
constexpr uint64_t kBadHandles[] = {0, kFreeHandle, 0xffff'ffffu, kHugeHandle};

CONFORMANCE_CASE(cap_identify_initial_caps) {
  struct Expected {
    Handle handle;
    ObjectType type;
  } initial[] = {{kSelf, ObjectType::kProcess},
                 {kOwnVmem, ObjectType::kVmem},
                 {kOwnThread, ObjectType::kThread},
                 {kMemory, ObjectType::kMemory},
                 {kBootInfoFrame, ObjectType::kFrame}};
  for (auto [handle, type] : initial) {
    auto info = rt::CapIdentify(handle);
    EXPECT_OK(info);
    if (info.ok()) EXPECT_EQ(static_cast<uint32_t>(info.value().type), static_cast<uint32_t>(type));
  }
  auto memory = rt::CapIdentify(kMemory);
  EXPECT_TRUE(memory.ok() && memory.value().rights == Rights::kAll);
  auto boot_info = rt::CapIdentify(kBootInfoFrame);
  EXPECT_TRUE(boot_info.ok() && !boot_info.value().rights.Has(Rights::kWrite));
  // Raw encoding: (rights << 8) | type.
  auto raw = rt::raw::CapIdentify(kMemory);
  EXPECT_EQ(raw.value, (uint64_t{Rights::kAll.bits} << 8) | uint64_t{1});
  for (uint64_t bad : kBadHandles) {
    EXPECT_STATUS(rt::raw::CapIdentify(bad), Status::kInvalidCapability);
  }
}

CONFORMANCE_CASE(cap_derive_subsets_rights) {
  auto derived = rt::CapDerive(kMemory, Rights::kRead | Rights::kClone);
  EXPECT_OK(derived);
  if (!derived.ok()) return;
  auto info = rt::CapIdentify(derived.value());
  EXPECT_TRUE(info.ok() && info.value().rights == (Rights::kRead | Rights::kClone));
  EXPECT_TRUE(info.ok() && info.value().type == ObjectType::kMemory);
  // The derived capability works within its rights and only there.
  EXPECT_OK(rt::MemoryInfo(derived.value()));
  EXPECT_STATUS(rt::MemoryAllocFrame(derived.value(), 0), Status::kMissingRights);
  // No more rights than the source; no undefined bits.
  EXPECT_STATUS(rt::CapDerive(derived.value(), Rights::kRead | Rights::kWrite),
                Status::kMissingRights);
  EXPECT_STATUS(rt::raw::CapDerive(kMemory, uint64_t{1} << 6), Status::kInvalidArgument);
  EXPECT_STATUS(rt::raw::CapDerive(kMemory, uint64_t{1} << 32), Status::kInvalidArgument);
  // Without kClone nothing can be derived.
  auto no_clone = rt::CapDerive(derived.value(), Rights::kRead);
  EXPECT_OK(no_clone);
  if (no_clone.ok()) {
    EXPECT_STATUS(rt::CapDerive(no_clone.value(), Rights::kRead), Status::kMissingRights);
    EXPECT_STATUS(rt::CapDerive(no_clone.value(), Rights::kNone), Status::kMissingRights);
    EXPECT_OK(rt::CapDelete(no_clone.value()));
  }
  // A capability with no rights at all still identifies and deletes.
  auto none = rt::CapDerive(kMemory, Rights::kNone);
  EXPECT_OK(none);
  if (none.ok()) {
    auto none_info = rt::CapIdentify(none.value());
    EXPECT_TRUE(none_info.ok() && none_info.value().rights == Rights::kNone);
    EXPECT_STATUS(rt::MemoryInfo(none.value()), Status::kMissingRights);
    EXPECT_OK(rt::CapDelete(none.value()));
  }
  for (uint64_t bad : kBadHandles) {
    EXPECT_STATUS(rt::raw::CapDerive(bad, Rights::kRead.bits), Status::kInvalidCapability);
  }
  EXPECT_OK(rt::CapDelete(derived.value()));
}

CONFORMANCE_CASE(cap_delete) {
  auto derived = rt::CapDerive(kMemory, Rights::kRead);
  EXPECT_OK(derived);
  if (!derived.ok()) return;
  EXPECT_OK(rt::CapDelete(derived.value()));
  EXPECT_STATUS(rt::CapDelete(derived.value()), Status::kInvalidCapability);
  EXPECT_STATUS(rt::CapIdentify(derived.value()), Status::kInvalidCapability);
  EXPECT_STATUS(rt::MemoryInfo(derived.value()), Status::kInvalidCapability);
  for (uint64_t bad : kBadHandles) {
    EXPECT_STATUS(rt::raw::CapDelete(bad), Status::kInvalidCapability);
  }
  // Deleting the last capability to an object frees it: the frame's charge comes back. (The
  // harness checks the exact page counts; other CPUs may free pages meanwhile.)
  auto before = rt::MemoryInfo(kMemory);
  auto frame = rt::MemoryAllocFrame(kMemory, 4);
  EXPECT_OK(frame);
  auto during = rt::MemoryInfo(kMemory);
  if (frame.ok()) EXPECT_OK(rt::CapDelete(frame.value()));
  auto after = rt::MemoryInfo(kMemory);
  if (before.ok() && during.ok() && after.ok()) {
    EXPECT_TRUE(during.value().used_bytes >= before.value().used_bytes + 0x10000);
    EXPECT_TRUE(after.value().used_bytes + 0x10000 <= during.value().used_bytes);
  }
}

CONFORMANCE_CASE(foreign_handles_are_invalid) {
  // A child process (never started) receives a capability: its handle means nothing to us.
  auto process = rt::MemoryAllocProcess(kMemory, kOwnVmem);
  EXPECT_OK(process);
  if (!process.ok()) return;
  auto given = rt::ProcessGiveCap(process.value(), kMemory, Rights::kRead | Rights::kWrite);
  EXPECT_OK(given);
  if (given.ok()) {
    EXPECT_TRUE(given.value() != kMemory);
    EXPECT_STATUS(rt::CapIdentify(given.value()), Status::kInvalidCapability);
    EXPECT_STATUS(rt::MemoryInfo(given.value()), Status::kInvalidCapability);
    EXPECT_STATUS(rt::MemoryAllocFrame(given.value(), 0), Status::kInvalidCapability);
    EXPECT_STATUS(rt::CapDerive(given.value(), Rights::kRead), Status::kInvalidCapability);
    EXPECT_STATUS(rt::CapDelete(given.value()), Status::kInvalidCapability);
  }
  // Deleting the process (it never ran) drops the capabilities it owns.
  EXPECT_OK(rt::CapDelete(process.value()));
}

}  // namespace
}  // namespace hiillos::conformance
