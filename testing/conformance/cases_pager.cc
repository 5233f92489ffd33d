// testing/conformance/cases_pager.cc — user-space pagers (VmemSetPager, VmemTakeFault,
// VmemResolveFault, VmemClearPager): a fault on a page that is not present waits for the
// pager, which resolves it (the access is retried) or refuses it (the thread dies); a pager
// that goes away refuses what waits; a stopped faulting thread leaves nothing queued.
//
// The suite pages its own Vmem; the faulting threads are shared-Vmem children touching
// kPagerArea, which nothing maps until the pager does.
#include "testing/conformance/child.h"
#include "testing/conformance/harness.h"

namespace hiillos::conformance {
namespace {

using uapi::ExitReason;
using uapi::Rights;
using uapi::Status;

constexpr uint64_t kPagerArea = kScratchBase + 0x10'0000;
constexpr uint64_t kWordOffset = 0x18;
constexpr uint64_t kPagerBits = 0x4;
constexpr uint64_t kFaulted = static_cast<uint64_t>(ExitReason::kFaulted);
constexpr uint64_t kExited = static_cast<uint64_t>(ExitReason::kExited);
constexpr uint64_t kPageFaultVector = 14;

// Exits with the word it reads at `address`.
void ReadAndExit(uint64_t address) {
  rt::ThreadExit(*reinterpret_cast<volatile uint64_t*>(address));
}
// Adds one to the word at `address` and exits with it.
void IncrementAndExit(uint64_t address) {
  volatile uint64_t* word = reinterpret_cast<volatile uint64_t*>(address);
  *word = *word + 1;
  rt::ThreadExit(*word);
}

// A Notify for the pager, deleted at the end of the case.
struct PagerNotify {
  Handle handle = 0;
  PagerNotify() {
    auto notify = rt::MemoryAllocNotify(kMemory);
    if (EXPECT_OK(notify)) handle = notify.value();
  }
  ~PagerNotify() {
    if (handle != 0) (void)rt::CapDelete(handle);
  }
};

// A page with `value` at kWordOffset, mapped read+write at kPagerArea until destroyed.
struct BackingPage {
  Handle frame = 0;
  explicit BackingPage(uint64_t value) {
    auto allocated = rt::MemoryAllocFrame(kMemory, 0);
    if (!EXPECT_OK(allocated)) return;
    frame = allocated.value();
    if (EXPECT_OK(
            rt::VmemMap(kOwnVmem, frame, kPagerArea, uapi::kMapRead | uapi::kMapWrite, kMemory))) {
      *reinterpret_cast<volatile uint64_t*>(kPagerArea + kWordOffset) = value;
    }
  }
  ~BackingPage() {
    if (frame == 0) return;
    (void)rt::VmemUnmap(kOwnVmem, kPagerArea);
    (void)rt::CapDelete(frame);
  }
};

// Waits for the pager's bits and takes the one fault queued.
Result<uapi::PageFault, Status> WaitAndTake(Handle notify) {
  auto bits = rt::NotifyWait(notify);
  if (!bits.ok()) return Err(bits.error());
  EXPECT_EQ(bits.value(), kPagerBits);
  return rt::VmemTakeFault(kOwnVmem);
}

CONFORMANCE_CASE(pager_resolve_retries_the_access) {
  PagerNotify notify;
  EXPECT_OK(rt::VmemSetPager(kOwnVmem, notify.handle, kPagerBits));
  EXPECT_STATUS(rt::VmemTakeFault(kOwnVmem), Status::kWouldBlock);
  auto child = SpawnShared(IncrementAndExit, kPagerArea + kWordOffset);
  if (EXPECT_OK(child)) {
    Child c = child.value();
    auto fault = WaitAndTake(notify.handle);
    if (EXPECT_OK(fault)) {
      EXPECT_EQ(fault.value().address, kPagerArea + kWordOffset);
      EXPECT_EQ(fault.value().access, uapi::kFaultRead);  // the load comes first
      EXPECT_TRUE(fault.value().token != 0);
      // Only one fault waits, and a taken one is not handed out again.
      EXPECT_STATUS(rt::VmemTakeFault(kOwnVmem), Status::kWouldBlock);
      BackingPage page(41);
      EXPECT_OK(rt::VmemResolveFault(kOwnVmem, fault.value().token, uapi::kFaultRetry));
      uapi::ThreadExit exit = Wait(c);
      EXPECT_EQ(static_cast<uint64_t>(exit.reason), kExited);
      EXPECT_EQ(exit.code, 42u);  // read, incremented and written through the pager's page
      // The wait is over: its token names nothing any more.
      EXPECT_STATUS(rt::VmemResolveFault(kOwnVmem, fault.value().token, uapi::kFaultRetry),
                    Status::kDead);
    }
    Release(c);
  }
  EXPECT_OK(rt::VmemClearPager(kOwnVmem));
  EXPECT_STATUS(rt::VmemClearPager(kOwnVmem), Status::kNotMapped);
}

CONFORMANCE_CASE(pager_refuse_kills_the_thread) {
  PagerNotify notify;
  EXPECT_OK(rt::VmemSetPager(kOwnVmem, notify.handle, kPagerBits));
  auto child = SpawnShared(ReadAndExit, kPagerArea);
  if (EXPECT_OK(child)) {
    Child c = child.value();
    auto fault = WaitAndTake(notify.handle);
    if (EXPECT_OK(fault)) {
      EXPECT_OK(rt::VmemResolveFault(kOwnVmem, fault.value().token, uapi::kFaultRefuse));
      uapi::ThreadExit exit = Wait(c);
      EXPECT_EQ(static_cast<uint64_t>(exit.reason), kFaulted);
      EXPECT_EQ(exit.code, kPageFaultVector);
      EXPECT_EQ(exit.fault_addr, kPagerArea);
    }
    Release(c);
  }
  EXPECT_OK(rt::VmemClearPager(kOwnVmem));
}

CONFORMANCE_CASE(pager_argument_and_state_errors) {
  PagerNotify notify;
  EXPECT_STATUS(rt::VmemSetPager(kOwnVmem, notify.handle, 0), Status::kInvalidArgument);
  EXPECT_STATUS(rt::VmemSetPager(kOwnVmem, kMemory, kPagerBits), Status::kWrongType);
  EXPECT_STATUS(rt::VmemSetPager(kMemory, notify.handle, kPagerBits), Status::kWrongType);
  EXPECT_STATUS(rt::VmemClearPager(kOwnVmem), Status::kNotMapped);
  auto no_map = rt::CapDerive(kOwnVmem, Rights::kRead);
  if (EXPECT_OK(no_map)) {
    EXPECT_STATUS(rt::VmemSetPager(no_map.value(), notify.handle, kPagerBits),
                  Status::kMissingRights);
    EXPECT_STATUS(rt::VmemTakeFault(no_map.value()), Status::kMissingRights);
    EXPECT_STATUS(rt::VmemClearPager(no_map.value()), Status::kMissingRights);
    (void)rt::CapDelete(no_map.value());
  }
  EXPECT_OK(rt::VmemSetPager(kOwnVmem, notify.handle, kPagerBits));
  EXPECT_STATUS(rt::VmemSetPager(kOwnVmem, notify.handle, kPagerBits), Status::kBusy);
  EXPECT_STATUS(rt::VmemResolveFault(kOwnVmem, 12345, uapi::kFaultRetry), Status::kDead);
  EXPECT_STATUS(rt::raw::VmemResolveFault(kOwnVmem, 1, 2), Status::kInvalidArgument);

  // A fault whose record cannot be copied out stays queued.
  auto child = SpawnShared(ReadAndExit, kPagerArea + kWordOffset);
  if (EXPECT_OK(child)) {
    Child c = child.value();
    EXPECT_EQ(rt::NotifyWait(notify.handle).value(), kPagerBits);
    EXPECT_STATUS(rt::raw::VmemTakeFault(kOwnVmem, 0), Status::kBadAddress);
    auto fault = rt::VmemTakeFault(kOwnVmem);
    if (EXPECT_OK(fault)) {
      EXPECT_EQ(fault.value().address, kPagerArea + kWordOffset);
      BackingPage page(7);
      EXPECT_OK(rt::VmemResolveFault(kOwnVmem, fault.value().token, uapi::kFaultRetry));
      EXPECT_EQ(Wait(c).code, 7u);
    }
    Release(c);
  }
  EXPECT_OK(rt::VmemClearPager(kOwnVmem));
}

// Faults the pager never sees: a write to a present read-only page, a kernel address.
CONFORMANCE_CASE(pager_sees_only_missing_pages) {
  PagerNotify notify;
  EXPECT_OK(rt::VmemSetPager(kOwnVmem, notify.handle, kPagerBits));
  auto child = SpawnShared(IncrementAndExit, uapi::kRootBootInfoAddress);
  if (EXPECT_OK(child)) {
    Child c = child.value();
    uapi::ThreadExit exit = Wait(c);
    EXPECT_EQ(static_cast<uint64_t>(exit.reason), kFaulted);
    EXPECT_EQ(exit.fault_addr, uapi::kRootBootInfoAddress);
    Release(c);
  }
  auto kernel_read = SpawnShared(ReadAndExit, 0xffff'8000'0000'0000ull);
  if (EXPECT_OK(kernel_read)) {
    Child c = kernel_read.value();
    EXPECT_EQ(static_cast<uint64_t>(Wait(c).reason), kFaulted);
    Release(c);
  }
  EXPECT_STATUS(rt::NotifyPoll(notify.handle), Status::kWouldBlock);
  EXPECT_STATUS(rt::VmemTakeFault(kOwnVmem), Status::kWouldBlock);
  EXPECT_OK(rt::VmemClearPager(kOwnVmem));
}

// Clearing the pager refuses the faults that wait (queued or taken).
CONFORMANCE_CASE(pager_cleared_refuses_waiting_faults) {
  PagerNotify notify;
  EXPECT_OK(rt::VmemSetPager(kOwnVmem, notify.handle, kPagerBits));
  auto first = SpawnShared(ReadAndExit, kPagerArea);
  if (EXPECT_OK(first)) {
    Child a = first.value();
    auto taken = WaitAndTake(notify.handle);
    EXPECT_OK(taken);
    auto second = SpawnShared(ReadAndExit, kPagerArea + 8);
    if (EXPECT_OK(second)) {
      Child b = second.value();
      EXPECT_EQ(rt::NotifyWait(notify.handle).value(), kPagerBits);  // b's fault is queued
      EXPECT_OK(rt::VmemClearPager(kOwnVmem));
      EXPECT_EQ(static_cast<uint64_t>(Wait(a).reason), kFaulted);
      uapi::ThreadExit exit = Wait(b);
      EXPECT_EQ(static_cast<uint64_t>(exit.reason), kFaulted);
      EXPECT_EQ(exit.fault_addr, kPagerArea + 8);
      Release(b);
    } else {
      EXPECT_OK(rt::VmemClearPager(kOwnVmem));
    }
    if (taken.ok()) {
      EXPECT_STATUS(rt::VmemResolveFault(kOwnVmem, taken.value().token, uapi::kFaultRetry),
                    Status::kDead);
    }
    Release(a);
  }
  EXPECT_STATUS(rt::VmemTakeFault(kOwnVmem), Status::kWouldBlock);
}

// The pager is another process; when it dies, the fault waiting for it is refused and the
// Vmem has no pager any more.
struct PagerChildArgs {
  Handle vmem;
  Handle notify;
  Handle ready;
  Handle go;
  volatile uint64_t status;
};

void BecomePagerThenWait(uint64_t arg) {
  auto* args = reinterpret_cast<PagerChildArgs*>(arg);
  args->status =
      static_cast<uint64_t>(StatusOf(rt::VmemSetPager(args->vmem, args->notify, kPagerBits)));
  (void)rt::NotifySignal(args->ready, 1);
  (void)rt::NotifyWait(args->go);
  rt::ThreadExit(0);
}

CONFORMANCE_CASE(pager_gone_refuses_waiting_faults) {
  PagerNotify notify;
  PagerNotify ready;
  PagerNotify go;
  auto pager = SpawnShared(BecomePagerThenWait, 0, /*start=*/false);
  if (!EXPECT_OK(pager)) return;
  Child p = pager.value();
  PagerChildArgs args{};
  auto give = [&](Handle handle, Rights rights) -> Handle {
    auto given = rt::ProcessGiveCap(p.process, handle, rights);
    EXPECT_OK(given);
    return given.ok() ? given.value() : 0;
  };
  args.vmem = give(kOwnVmem, Rights::kMap);
  args.notify = give(notify.handle, Rights::kWrite);
  args.ready = give(ready.handle, Rights::kWrite);
  args.go = give(go.handle, Rights::kRead);
  uapi::ThreadRegs regs =
      SharedChildRegs(BecomePagerThenWait, reinterpret_cast<uint64_t>(&args), p.stack);
  EXPECT_OK(rt::ThreadSetRegs(p.thread, &regs));
  EXPECT_OK(rt::ThreadStart(p.thread));
  EXPECT_EQ(rt::NotifyWait(ready.handle).value(), 1u);
  EXPECT_EQ(args.status, 0u);
  // The Vmem has a pager now: another one is refused.
  EXPECT_STATUS(rt::VmemSetPager(kOwnVmem, notify.handle, kPagerBits), Status::kBusy);

  auto faulter = SpawnShared(ReadAndExit, kPagerArea);
  if (EXPECT_OK(faulter)) {
    Child f = faulter.value();
    EXPECT_EQ(rt::NotifyWait(notify.handle).value(), kPagerBits);  // queued for the pager
    EXPECT_OK(rt::NotifySignal(go.handle, 1));                     // the pager exits
    EXPECT_EQ(static_cast<uint64_t>(Wait(p).reason), kExited);
    uapi::ThreadExit exit = Wait(f);
    EXPECT_EQ(static_cast<uint64_t>(exit.reason), kFaulted);
    EXPECT_EQ(exit.fault_addr, kPagerArea);
    Release(f);
  } else {
    EXPECT_OK(rt::NotifySignal(go.handle, 1));
    (void)Wait(p);
  }
  // Gone with its process: nothing to clear, and a new pager may attach.
  EXPECT_STATUS(rt::VmemClearPager(kOwnVmem), Status::kNotMapped);
  EXPECT_OK(rt::VmemSetPager(kOwnVmem, notify.handle, kPagerBits));
  EXPECT_OK(rt::VmemClearPager(kOwnVmem));
  Release(p);
}

// A faulting thread that is stopped takes its fault back; restarted, it faults again.
CONFORMANCE_CASE(pager_stopped_thread_leaves_nothing_queued) {
  PagerNotify notify;
  EXPECT_OK(rt::VmemSetPager(kOwnVmem, notify.handle, kPagerBits));
  auto child = SpawnShared(ReadAndExit, kPagerArea + 16);
  if (EXPECT_OK(child)) {
    Child c = child.value();
    auto first = WaitAndTake(notify.handle);
    EXPECT_OK(first);
    auto regs = StopAndGetRegs(c.thread);
    EXPECT_OK(regs);
    if (first.ok()) {
      EXPECT_STATUS(rt::VmemResolveFault(kOwnVmem, first.value().token, uapi::kFaultRetry),
                    Status::kDead);
    }
    EXPECT_STATUS(rt::VmemTakeFault(kOwnVmem), Status::kWouldBlock);
    EXPECT_OK(rt::ThreadStart(c.thread));
    auto second = WaitAndTake(notify.handle);
    if (EXPECT_OK(second)) {
      EXPECT_EQ(second.value().address, kPagerArea + 16);
      if (first.ok()) EXPECT_TRUE(second.value().token != first.value().token);
      BackingPage page(0);
      *reinterpret_cast<volatile uint64_t*>(kPagerArea + 16) = 99;
      EXPECT_OK(rt::VmemResolveFault(kOwnVmem, second.value().token, uapi::kFaultRetry));
      EXPECT_EQ(Wait(c).code, 99u);
    }
    Release(c);
  }
  EXPECT_OK(rt::VmemClearPager(kOwnVmem));
}

}  // namespace
}  // namespace hiillos::conformance
