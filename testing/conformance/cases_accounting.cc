// testing/conformance/cases_accounting.cc — who pays for what (docs/objects.md): capability slots
// charged to their owner's Memory, mappings charged to the Memory the caller names, Memory
// split with MemoryCreate, and SystemInfo/MemoryInfo sums that match the physical allocator.
#include "services/lib/page_allocator.h"
#include "testing/conformance/child.h"
#include "testing/conformance/harness.h"
#include "uapi/object_type.h"
#include "uapi/rights.h"

namespace hiillos::conformance {
namespace {

using uapi::Rights;
using uapi::Status;

constexpr uint64_t kSlotBytes = 32;  // what one capability slot costs its owner
constexpr uint64_t kPage = 0x1000;
constexpr uint64_t kWaitRounds = 10'000'000;
constexpr unsigned kStackOrder = 2;

uint64_t Used(Handle memory) {
  auto info = rt::MemoryInfo(memory);
  return info.ok() ? info.value().used_bytes : ~uint64_t{0};
}
uint64_t Available(Handle memory) {
  auto info = rt::MemoryInfo(memory);
  return info.ok() ? info.value().budget_bytes : 0;
}

// A dead process's capabilities are deleted by its exiting thread, which may still be at it
// when ThreadWait returns: wait for the refund (bounded by rounds, not time).
uint64_t WaitUntilUsed(Handle memory, uint64_t used) {
  for (uint64_t i = 0; i < kWaitRounds && Used(memory) != used; ++i) (void)rt::Yield();
  return Used(memory);
}

uapi::SystemInfo System() {
  auto info = rt::SystemInfo();
  return info.ok() ? info.value() : uapi::SystemInfo{};
}

// The physical allocator's pages add up, whatever else is going on.
void ExpectPagesAddUp(const uapi::SystemInfo& info) {
  EXPECT_EQ(info.free_pages + info.kernel_pages + info.page_table_pages + info.user_pages +
                info.object_pages,
            info.total_pages);
  EXPECT_TRUE(info.capability_pages <= info.kernel_pages);
}

bool Flag(const bool* flag) {
  return __atomic_load_n(flag, __ATOMIC_ACQUIRE);
}
void SetFlag(bool* flag) {
  __atomic_store_n(flag, true, __ATOMIC_RELEASE);
}
bool WaitFor(const bool* flag) {
  for (uint64_t i = 0; i < kWaitRounds && !Flag(flag); ++i) (void)rt::Yield();
  return Flag(flag);
}

// A child process allocated from `memory` that shares the suite's address space, running
// fn(arg) on its own stack (its thread is paid by the suite's Memory).
struct Spawned {
  Handle process = 0;
  Handle thread = 0;
  void* stack = nullptr;
};
Spawned SpawnFrom(Handle memory) {
  Spawned child;
  auto process = rt::MemoryAllocProcess(memory, kOwnVmem);
  EXPECT_OK(process);
  if (!process.ok()) return child;
  child.process = process.value();
  auto thread = rt::MemoryAllocThread(kMemory, child.process);
  EXPECT_OK(thread);
  if (thread.ok()) child.thread = thread.value();
  auto stack = rt::Pages().Allocate(kStackOrder);
  EXPECT_OK(stack);
  if (stack.ok()) child.stack = stack.value();
  return child;
}
bool Start(const Spawned& child, ChildFunction fn, uint64_t arg) {
  if (child.thread == 0 || child.stack == nullptr) return false;
  const uapi::ThreadRegs regs = SharedChildRegs(fn, arg, child.stack);
  return EXPECT_OK(rt::ThreadSetRegs(child.thread, &regs)) &&
         EXPECT_OK(rt::ThreadStart(child.thread));
}
void Finish(Spawned& child) {
  if (child.thread != 0) EXPECT_OK(rt::CapDelete(child.thread));
  if (child.process != 0) EXPECT_OK(rt::CapDelete(child.process));
  if (child.stack != nullptr) (void)rt::Pages().Free(child.stack);
  child = Spawned{};
}

// ---- Review item 3: capability slots are charged ----

struct DeriveLoop {
  Handle source;  // the child's handle to the boot-info frame
  uint64_t count;
  Status status;
  bool done;
  bool release;
};
DeriveLoop g_loop;

void DeriveUntilRefused(uint64_t arg) {
  auto* loop = reinterpret_cast<DeriveLoop*>(arg);
  for (;;) {
    auto derived = rt::CapDerive(loop->source, Rights::kRead);
    if (!derived.ok()) {
      loop->status = derived.error();
      break;
    }
    ++loop->count;
  }
  SetFlag(&loop->done);
  // Hold every slot until the suite has looked.
  while (!Flag(&loop->release)) (void)rt::Yield();
}

CONFORMANCE_CASE(accounting_derive_loop_stops_at_the_owners_budget) {
  const uapi::SystemInfo before = System();
  constexpr uint64_t kBudget = 64 * 1024;
  auto memory = rt::MemoryCreate(kMemory, kBudget);
  EXPECT_OK(memory);
  if (!memory.ok()) return;
  Spawned child = SpawnFrom(memory.value());
  // The child holds nothing but a read-only, clonable boot-info frame capability (its slot is
  // charged to the child's Memory).
  const uint64_t used_without_slots = Used(memory.value());
  auto source = rt::ProcessGiveCap(child.process, kBootInfoFrame, Rights::kRead | Rights::kClone);
  EXPECT_OK(source);
  EXPECT_EQ(Used(memory.value()), used_without_slots + kSlotBytes);
  const uint64_t expected = Available(memory.value()) / kSlotBytes;
  g_loop = DeriveLoop{source.value_or(0), 0, Status::kOk, false, false};
  if (source.ok() && Start(child, DeriveUntilRefused, reinterpret_cast<uint64_t>(&g_loop))) {
    EXPECT_TRUE(WaitFor(&g_loop.done));
    EXPECT_STATUS(g_loop.status, Status::kOutOfMemory);
    EXPECT_EQ(g_loop.count, expected);
    EXPECT_TRUE(Available(memory.value()) < kSlotBytes);
    // Giving it one more capability would charge its spent Memory: refused, nothing changes.
    const uint64_t slots = System().capability_slots_used;
    EXPECT_STATUS(rt::ProcessGiveCap(child.process, kBootInfoFrame, Rights::kRead),
                  Status::kOutOfMemory);
    EXPECT_EQ(System().capability_slots_used, slots);
    // Everybody else still allocates: the child spent its own budget, not the machine's.
    auto frame = rt::MemoryAllocFrame(kMemory, 0);
    EXPECT_OK(frame);
    if (frame.ok()) EXPECT_OK(rt::CapDelete(frame.value()));
    const uapi::SystemInfo during = System();
    ExpectPagesAddUp(during);
    EXPECT_TRUE(during.capability_slots_used >= before.capability_slots_used + expected);
    SetFlag(&g_loop.release);
    auto exit = rt::ThreadWait(child.thread);
    EXPECT_TRUE(exit.ok() && exit.value().reason == uapi::ExitReason::kExited);
    // Its capabilities died with it and were refunded.
    EXPECT_EQ(WaitUntilUsed(memory.value(), used_without_slots), used_without_slots);
  }
  Finish(child);
  EXPECT_OK(rt::CapDelete(memory.value()));
  // The table gave its pages back.
  const uapi::SystemInfo after = System();
  EXPECT_TRUE(after.capability_pages <= before.capability_pages);
  EXPECT_EQ(after.capability_slots_used, before.capability_slots_used);
  ExpectPagesAddUp(after);
}

// ---- Review item 4: mapping costs are charged to the party that names the Memory ----

constexpr uint64_t kTarget = kScratchBase + 0x10'0000;

struct MapAttempt {
  Handle vmem;   // the child's: kMap on a Vmem it did not pay for
  Handle frame;  // the child's: a clonable, mappable frame
  Status statuses[3];
  bool done;
};
MapAttempt g_attempt;

void MapWithoutMemory(uint64_t arg) {
  auto* attempt = reinterpret_cast<MapAttempt*>(arg);
  // Every handle it has, and none, as the paying Memory: none of them is a Memory.
  const Handle payers[] = {attempt->vmem, attempt->frame, 0};
  for (int i = 0; i < 3; ++i) {
    attempt->statuses[i] =
        rt::raw::VmemMap(attempt->vmem, attempt->frame, kTarget, uapi::kMapRead, payers[i]).status;
  }
  SetFlag(&attempt->done);
}

CONFORMANCE_CASE(accounting_a_child_without_memory_cannot_spend_the_vmem_creators_budget) {
  auto creator = rt::MemoryCreate(kMemory, 256 * 1024);
  auto child_memory = rt::MemoryCreate(kMemory, 64 * 1024);
  EXPECT_OK(creator);
  EXPECT_OK(child_memory);
  if (!creator.ok() || !child_memory.ok()) return;
  auto vmem = rt::MemoryAllocVmem(creator.value());
  auto frame = rt::MemoryAllocFrame(kMemory, 0);
  EXPECT_OK(vmem);
  EXPECT_OK(frame);
  Spawned child = SpawnFrom(child_memory.value());
  if (vmem.ok() && frame.ok() && child.process != 0) {
    auto child_vmem = rt::ProcessGiveCap(child.process, vmem.value(), Rights::kMap);
    auto child_frame = rt::ProcessGiveCap(child.process, frame.value(),
                                          Rights::kRead | Rights::kMap | Rights::kClone);
    EXPECT_OK(child_vmem);
    EXPECT_OK(child_frame);
    const uint64_t creator_used = Used(creator.value());
    const uint64_t child_used = Used(child_memory.value());
    g_attempt = MapAttempt{child_vmem.value_or(0), child_frame.value_or(0), {}, false};
    if (Start(child, MapWithoutMemory, reinterpret_cast<uint64_t>(&g_attempt))) {
      EXPECT_TRUE(WaitFor(&g_attempt.done));
      EXPECT_STATUS(g_attempt.statuses[0], Status::kWrongType);
      EXPECT_STATUS(g_attempt.statuses[1], Status::kWrongType);
      EXPECT_STATUS(g_attempt.statuses[2], Status::kInvalidCapability);
      (void)rt::ThreadWait(child.thread);
    }
    EXPECT_EQ(Used(creator.value()), creator_used);
    // The child's slots went with it; its Memory is left with its process object.
    EXPECT_EQ(WaitUntilUsed(child_memory.value(), child_used - 2 * kSlotBytes),
              child_used - 2 * kSlotBytes);
    // Whoever names a Memory pays, however the Vmem was paid for: exactly the page tables the
    // map creates, and the record.
    auto payer = rt::MemoryCreate(kMemory, 64 * 1024);
    EXPECT_OK(payer);
    if (payer.ok()) {
      const uapi::SystemInfo unmapped = System();
      EXPECT_OK(rt::VmemMap(vmem.value(), frame.value(), kTarget, uapi::kMapRead, payer.value()));
      const uapi::SystemInfo mapped = System();
      const uint64_t paid = Used(payer.value());
      EXPECT_EQ(Used(creator.value()), creator_used);
      // A fresh Vmem: a PDPT, a PD and a PT, each paid once, plus the record.
      EXPECT_EQ(mapped.page_table_pages - unmapped.page_table_pages, 3u);
      EXPECT_TRUE(paid > 3 * kPage && paid < 4 * kPage);
      const uint64_t record = paid - 3 * kPage;
      auto clone = rt::CapDerive(frame.value(), Rights::kRead | Rights::kMap);
      EXPECT_OK(clone);
      if (clone.ok()) {
        // Next to it, in the same tables: the record only.
        EXPECT_OK(rt::VmemMap(vmem.value(), clone.value(), kTarget + kPage, uapi::kMapRead,
                              payer.value()));
        EXPECT_EQ(Used(payer.value()), paid + record);
        EXPECT_EQ(System().page_table_pages, mapped.page_table_pages);
        EXPECT_OK(rt::VmemUnmap(vmem.value(), kTarget + kPage));
        EXPECT_EQ(Used(payer.value()), paid);
        // A budget too small for the one table a map 2 MiB away needs (a PT) refuses the map
        // and changes nothing.
        auto small = rt::MemoryCreate(kMemory, kPage);
        EXPECT_OK(small);
        if (small.ok()) {
          EXPECT_STATUS(rt::VmemMap(vmem.value(), clone.value(), kTarget + 0x20'0000,
                                    uapi::kMapRead, small.value()),
                        Status::kOutOfMemory);
          EXPECT_EQ(Used(small.value()), 0u);
          EXPECT_EQ(System().page_table_pages, mapped.page_table_pages);
          EXPECT_OK(rt::CapDelete(small.value()));
        }
        EXPECT_OK(rt::CapDelete(clone.value()));
      }
      // Unmapped, the tables stay for the next mapping there, and so does their charge (the
      // record is their receipt) ...
      EXPECT_OK(rt::VmemUnmap(vmem.value(), kTarget));
      EXPECT_EQ(Used(payer.value()), paid);
      EXPECT_EQ(System().page_table_pages, mapped.page_table_pages);
      // ... until the Vmem goes: then everything is refunded exactly.
      Finish(child);
      if (frame.ok()) EXPECT_OK(rt::CapDelete(frame.value()));
      EXPECT_OK(rt::CapDelete(vmem.value()));
      EXPECT_EQ(Used(payer.value()), 0u);
      EXPECT_EQ(System().page_table_pages, unmapped.page_table_pages - 1);  // and the PML4
      EXPECT_OK(rt::CapDelete(payer.value()));
      EXPECT_EQ(Used(creator.value()), 0u);
      EXPECT_OK(rt::CapDelete(creator.value()));
      EXPECT_OK(rt::CapDelete(child_memory.value()));
      return;
    }
  }
  Finish(child);
  if (frame.ok()) EXPECT_OK(rt::CapDelete(frame.value()));
  if (vmem.ok()) EXPECT_OK(rt::CapDelete(vmem.value()));
  EXPECT_EQ(Used(creator.value()), 0u);
  EXPECT_OK(rt::CapDelete(creator.value()));
  EXPECT_OK(rt::CapDelete(child_memory.value()));
}

// ---- MemoryCreate ----

CONFORMANCE_CASE(accounting_memory_create_carves_a_budget_from_its_parent) {
  const uint64_t root_used = Used(kMemory);
  constexpr uint64_t kBudget = 3 * kPage + 2048;  // three 4 KiB frames and their objects
  auto child = rt::MemoryCreate(kMemory, kBudget);
  EXPECT_OK(child);
  if (!child.ok()) return;
  auto info = rt::MemoryInfo(child.value());
  EXPECT_TRUE(info.ok() && info.value().total_bytes == kBudget &&
              info.value().budget_bytes == kBudget && info.value().used_bytes == 0);
  // The parent pays the whole budget and the child object (plus the new slot) up front.
  const uint64_t carved = Used(kMemory) - root_used;
  EXPECT_TRUE(carved > kBudget + kSlotBytes && carved < kBudget + kSlotBytes + kPage);

  // The child's budget limits what is allocated from it, exactly.
  Handle frames[8] = {};
  int count = 0;
  uint64_t frame_cost = 0;
  for (; count < 8; ++count) {
    const uint64_t available = Available(child.value());
    auto frame = rt::MemoryAllocFrame(child.value(), 0);
    if (!frame.ok()) {
      EXPECT_STATUS(frame, Status::kOutOfMemory);
      EXPECT_TRUE(frame_cost != 0 && available < frame_cost);
      EXPECT_EQ(Available(child.value()), available);  // a refusal charges nothing
      break;
    }
    frames[count] = frame.value();
    frame_cost = available - Available(child.value());
    EXPECT_TRUE(frame_cost > kPage && frame_cost < 2 * kPage);
  }
  EXPECT_EQ(count, 3);
  // Children of children: limited by the child's budget.
  const uint64_t left = Available(child.value());
  EXPECT_STATUS(rt::MemoryCreate(child.value(), left), Status::kOutOfMemory);
  auto grandchild = rt::MemoryCreate(child.value(), 64);
  EXPECT_OK(grandchild);
  if (grandchild.ok()) {
    EXPECT_TRUE(Available(child.value()) < left - 64);
    EXPECT_OK(rt::CapDelete(grandchild.value()));
    EXPECT_EQ(Available(child.value()), left);  // refunded with its last reference
  }
  // A huge budget overflows nothing.
  EXPECT_STATUS(rt::MemoryCreate(kMemory, ~uint64_t{0}), Status::kOutOfMemory);
  EXPECT_STATUS(rt::MemoryCreate(kMemory, ~uint64_t{0} - 8), Status::kOutOfMemory);

  // The child lives while something charged to it does: deleting its handle refunds nothing yet.
  EXPECT_OK(rt::CapDelete(child.value()));
  const uint64_t with_frames = Used(kMemory);
  EXPECT_TRUE(with_frames > root_used);
  for (int i = 0; i < count; ++i) EXPECT_OK(rt::CapDelete(frames[i]));
  EXPECT_EQ(Used(kMemory), root_used);  // the last frame took the child, and its budget, along
}

CONFORMANCE_CASE(accounting_memory_create_errors) {
  EXPECT_STATUS(rt::raw::MemoryCreate(0, kPage), Status::kInvalidCapability);
  EXPECT_STATUS(rt::raw::MemoryCreate(uint64_t{1} << 40, kPage), Status::kInvalidCapability);
  EXPECT_STATUS(rt::raw::MemoryCreate(kOwnVmem, kPage), Status::kWrongType);
  auto read_only = rt::CapDerive(kMemory, Rights::kRead);
  EXPECT_OK(read_only);
  if (read_only.ok()) {
    EXPECT_STATUS(rt::MemoryCreate(read_only.value(), kPage), Status::kMissingRights);
    EXPECT_OK(rt::CapDelete(read_only.value()));
  }
  // Nesting is bounded: a chain as deep as allowed, then one more is refused.
  Handle chain[20] = {};
  Handle parent = kMemory;
  int depth = 0;
  for (; depth < 20; ++depth) {
    auto child = rt::MemoryCreate(parent, 64 * 1024 - static_cast<uint64_t>(depth) * 2048);
    if (!child.ok()) {
      EXPECT_STATUS(child, Status::kInvalidArgument);
      break;
    }
    chain[depth] = parent = child.value();
  }
  EXPECT_EQ(depth, 16);
  // Deleting the handles in any order frees the whole chain.
  for (int i = 0; i < depth; ++i) EXPECT_OK(rt::CapDelete(chain[i]));
}

// ---- Exact sums ----

CONFORMANCE_CASE(accounting_sums_match_the_physical_allocator) {
  const uapi::SystemInfo base = System();
  ExpectPagesAddUp(base);
  const uint64_t root_used = Used(kMemory);

  // A derive loop: each slot costs its owner exactly kSlotBytes, and the only pages taken from
  // the physical allocator are the table's.
  constexpr int kDerives = 1000;
  static Handle derived[kDerives];
  for (int i = 0; i < kDerives; ++i) {
    auto handle = rt::CapDerive(kBootInfoFrame, Rights::kRead);
    EXPECT_OK(handle);
    derived[i] = handle.value_or(0);
  }
  const uapi::SystemInfo full = System();
  ExpectPagesAddUp(full);
  EXPECT_EQ(Used(kMemory), root_used + kDerives * kSlotBytes);
  EXPECT_EQ(full.capability_slots_used, base.capability_slots_used + kDerives);
  EXPECT_TRUE(full.capability_pages > base.capability_pages);
  EXPECT_EQ(base.free_pages - full.free_pages, full.capability_pages - base.capability_pages);
  EXPECT_EQ(full.kernel_pages - base.kernel_pages, full.capability_pages - base.capability_pages);
  // The charge covers the pages (a page holds 127 slots; the header slot is the difference).
  EXPECT_TRUE((full.capability_pages - base.capability_pages) * 127 * kSlotBytes <=
              (kDerives + 127 * 2) * kSlotBytes);
  for (int i = 0; i < kDerives; ++i) EXPECT_OK(rt::CapDelete(derived[i]));
  const uapi::SystemInfo emptied = System();
  ExpectPagesAddUp(emptied);
  EXPECT_EQ(Used(kMemory), root_used);
  EXPECT_EQ(emptied.free_pages, base.free_pages);
  EXPECT_EQ(emptied.capability_pages, base.capability_pages);
  EXPECT_EQ(emptied.kernel_pages, base.kernel_pages);

  // A frame: its pages and its charge; mapped: the page tables within what the payer paid.
  const uint64_t before_frame = Used(kMemory);
  auto frame = rt::MemoryAllocFrame(kMemory, 2);
  EXPECT_OK(frame);
  if (frame.ok()) {
    const uapi::SystemInfo allocated = System();
    ExpectPagesAddUp(allocated);
    EXPECT_EQ(allocated.user_pages, base.user_pages + 4);
    const uint64_t frame_charge = Used(kMemory) - before_frame;
    EXPECT_TRUE(frame_charge >= 4 * kPage + kSlotBytes);
    // In an address space of its own, so that its page tables are made here and go with it.
    const uapi::SystemInfo no_vmem = System();
    auto vmem = rt::MemoryAllocVmem(kMemory);
    auto payer = rt::MemoryCreate(kMemory, 64 * 1024);
    EXPECT_OK(vmem);
    EXPECT_OK(payer);
    if (vmem.ok() && payer.ok()) {
      const uapi::SystemInfo unmapped = System();
      EXPECT_EQ(unmapped.page_table_pages, no_vmem.page_table_pages + 1);  // its PML4
      EXPECT_OK(rt::VmemMap(vmem.value(), frame.value(), kScratchBase + 0x20'0000, uapi::kMapRead,
                            payer.value()));
      const uapi::SystemInfo mapped = System();
      ExpectPagesAddUp(mapped);
      // Exactly the tables made (PDPT, PD, PT), and the record (less than a page).
      const uint64_t tables = mapped.page_table_pages - unmapped.page_table_pages;
      EXPECT_EQ(tables, 3u);
      EXPECT_TRUE(Used(payer.value()) > tables * kPage &&
                  Used(payer.value()) < (tables + 1) * kPage);
      const uint64_t paid = Used(payer.value());
      EXPECT_OK(rt::VmemUnmap(vmem.value(), kScratchBase + 0x20'0000));
      EXPECT_EQ(Used(payer.value()), paid);  // the tables stay until the Vmem goes
      EXPECT_OK(rt::CapDelete(vmem.value()));
      const uapi::SystemInfo gone = System();
      ExpectPagesAddUp(gone);
      EXPECT_EQ(Used(payer.value()), 0u);
      EXPECT_EQ(gone.page_table_pages, no_vmem.page_table_pages);
    } else if (vmem.ok()) {
      EXPECT_OK(rt::CapDelete(vmem.value()));
    }
    if (payer.ok()) EXPECT_OK(rt::CapDelete(payer.value()));
    EXPECT_OK(rt::CapDelete(frame.value()));
  }
  const uapi::SystemInfo end = System();
  ExpectPagesAddUp(end);
  EXPECT_EQ(Used(kMemory), root_used);
  EXPECT_EQ(end.user_pages, base.user_pages);
  EXPECT_EQ(end.capability_pages, base.capability_pages);
}

}  // namespace
}  // namespace hiillos::conformance
