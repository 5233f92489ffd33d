// testing/conformance/cases_process.cc — ProcessGiveCap, and a child process using what it was
// given.
#include "testing/conformance/child.h"
#include "testing/conformance/harness.h"
#include "uapi/rights.h"

namespace hiillos::conformance {
namespace {

using uapi::Rights;
using uapi::Status;

// Shared-vmem child: identifies the handle it was given (arg) and exits with its rights, or
// with 1000 + status if that fails.
void IdentifyGiven(uint64_t handle) {
  auto info = rt::CapIdentify(static_cast<Handle>(handle));
  rt::ThreadExit(info.ok() ? info.value().rights.bits : 1000 + static_cast<uint64_t>(info.error()));
}

CONFORMANCE_CASE(process_give_cap) {
  auto process = rt::MemoryAllocProcess(kMemory, kOwnVmem);
  EXPECT_OK(process);
  if (!process.ok()) return;
  const Handle p = process.value();
  auto given = rt::ProcessGiveCap(p, kMemory, Rights::kRead);
  EXPECT_OK(given);
  // Errors: capabilities, rights, arguments.
  EXPECT_STATUS(rt::raw::ProcessGiveCap(0, kMemory, Rights::kRead.bits),
                Status::kInvalidCapability);
  EXPECT_STATUS(rt::raw::ProcessGiveCap(p, 0, Rights::kRead.bits), Status::kInvalidCapability);
  EXPECT_STATUS(rt::raw::ProcessGiveCap(p, 60000, Rights::kRead.bits), Status::kInvalidCapability);
  EXPECT_STATUS(rt::raw::ProcessGiveCap(kMemory, kMemory, Rights::kRead.bits), Status::kWrongType);
  EXPECT_STATUS(rt::raw::ProcessGiveCap(p, kMemory, uint64_t{1} << 6), Status::kInvalidArgument);
  EXPECT_STATUS(rt::raw::ProcessGiveCap(p, kMemory, uint64_t{1} << 40), Status::kInvalidArgument);
  auto no_transfer = rt::CapDerive(kMemory, Rights::kRead | Rights::kClone);
  auto no_clone = rt::CapDerive(kMemory, Rights::kRead | Rights::kTransfer);
  auto weak_process = rt::CapDerive(p, Rights::kRead);
  if (no_transfer.ok() && no_clone.ok() && weak_process.ok()) {
    EXPECT_STATUS(rt::ProcessGiveCap(p, no_transfer.value(), Rights::kRead),
                  Status::kMissingRights);
    EXPECT_STATUS(rt::ProcessGiveCap(p, no_clone.value(), Rights::kRead), Status::kMissingRights);
    EXPECT_STATUS(rt::ProcessGiveCap(weak_process.value(), kMemory, Rights::kRead),
                  Status::kMissingRights);
    // More rights than the source has.
    auto read_transfer = rt::CapDerive(kMemory, Rights::kRead | Rights::kTransfer | Rights::kClone);
    if (read_transfer.ok()) {
      EXPECT_STATUS(rt::ProcessGiveCap(p, read_transfer.value(), Rights::kWrite),
                    Status::kMissingRights);
      EXPECT_OK(rt::CapDelete(read_transfer.value()));
    }
  } else {
    EXPECT_TRUE(false);
  }
  rt::SysOr<Handle>* const derived_caps[] = {&no_transfer, &no_clone, &weak_process};
  for (auto* derived : derived_caps) {
    if (derived->ok()) EXPECT_OK(rt::CapDelete(derived->value()));
  }
  EXPECT_OK(rt::CapDelete(p));  // never ran: its capabilities go with it
}

CONFORMANCE_CASE(process_child_uses_given_cap) {
  // The child shares our address space but not our capabilities.
  auto child = SpawnShared(IdentifyGiven, 0, /*start=*/false);
  EXPECT_OK(child);
  if (!child.ok()) return;
  Child c = child.value();
  auto given = rt::ProcessGiveCap(c.process, kMemory, Rights::kRead | Rights::kMap);
  EXPECT_OK(given);
  // Point the child at its handle, then run it.
  uapi::ThreadRegs regs = SharedChildRegs(IdentifyGiven, given.ok() ? given.value() : 0, c.stack);
  EXPECT_OK(rt::ThreadSetRegs(c.thread, &regs));
  EXPECT_OK(rt::ThreadStart(c.thread));
  uapi::ThreadExit exit = Wait(c);
  EXPECT_EQ(static_cast<uint64_t>(exit.reason), static_cast<uint64_t>(uapi::ExitReason::kExited));
  EXPECT_EQ(exit.code, (Rights::kRead | Rights::kMap).bits);
  // The child is dead now: it owns nothing and takes nothing.
  EXPECT_STATUS(rt::ProcessGiveCap(c.process, kMemory, Rights::kRead), Status::kDead);
  EXPECT_STATUS(rt::MemoryAllocThread(kMemory, c.process), Status::kDead);
  Release(c);
}

// Our own handle numbers mean nothing in the child: it gets kInvalidCapability for them.
CONFORMANCE_CASE(process_child_cannot_use_parent_handles) {
  auto child = SpawnShared(IdentifyGiven, kMemory);
  EXPECT_OK(child);
  if (!child.ok()) return;
  Child c = child.value();
  uapi::ThreadExit exit = Wait(c);
  EXPECT_EQ(exit.code, 1000 + static_cast<uint64_t>(Status::kInvalidCapability));
  Release(c);
}

}  // namespace
}  // namespace hiillos::conformance
