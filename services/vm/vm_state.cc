// services/vm/vm_state.cc — the vm server's operations on address spaces, frames and budgets.
#include "services/vm/vm_state.h"

#include "lib/base/checked.h"
#include "lib/base/page_size.h"

namespace hiillos::vm {
namespace {

Result<void, VmError> CheckProtectionValue(uint8_t protection) {
  switch (CheckProtection(protection)) {
    case ProtectionCheck::kOk:
      return Ok<VmError>();
    case ProtectionCheck::kBad:
      return Err(VmError::kBadArgument);
    case ProtectionCheck::kWriteExecute:
      return Err(VmError::kWriteExecute);
  }
  return Err(VmError::kBadArgument);
}

bool Allows(uint8_t protection, Access access) {
  switch (access) {
    case Access::kRead:
      return (protection & kProtRead) != 0;
    case Access::kWrite:
      return (protection & kProtWrite) != 0;
    case Access::kExecute:
      return (protection & kProtExecute) != 0;
  }
  return false;
}

}  // namespace

Result<void, VmError> VmState::CreateProcess(Pid pid, uint64_t budget_bytes) {
  if (FindSlot(pid) != nullptr) return Err(VmError::kProcessExists);
  for (Slot& slot : slots_) {
    if (slot.used) continue;
    slot.used = true;
    slot.dying = false;
    slot.pid = pid;
    slot.space.Reset(budget_bytes / kPageSize);
    return Ok<VmError>();
  }
  return Err(VmError::kProcessTableFull);
}

const VmState::Slot* VmState::FindSlot(Pid pid) const {
  for (const Slot& slot : slots_) {
    if (slot.used && slot.pid == pid) return &slot;
  }
  return nullptr;
}

Result<VmState::Slot*, VmError> VmState::LiveSlot(Pid pid) {
  Slot* slot = const_cast<Slot*>(FindSlot(pid));
  if (slot == nullptr) return Err(VmError::kNoSuchProcess);
  if (slot->dying) return Err(VmError::kDying);
  return slot;
}

Result<uint64_t, VmError> VmState::Place(const AddressSpace& space, uint64_t size,
                                         Placement placement, uint8_t protection) const {
  if (size == 0 || !IsAligned(size, kPageSize)) return Err(VmError::kBadArgument);
  TRY(CheckProtectionValue(protection));
  const uint64_t alignment = placement.alignment == 0 ? kPageSize : placement.alignment;
  if (!IsPowerOfTwo(alignment) || alignment < kPageSize) return Err(VmError::kBadArgument);
  const uint64_t pages = size / kPageSize;
  if (placement.address != 0) {
    if (!IsAligned(placement.address, alignment)) return Err(VmError::kBadArgument);
    TRY(space.CheckInsert(placement.address, pages));
    return placement.address;
  }
  if (size > kUserEnd - kUserBase) return Err(VmError::kOutsideUserSpace);
  if (space.region_count() == kMaxRegions) return Err(VmError::kTooManyRegions);
  if (pages > space.budget_pages() - space.charged_pages()) return Err(VmError::kOverBudget);
  const uint64_t start = TRY(space.FindFree(pages, alignment, policy_));
  TRY(space.CheckInsert(start, pages));
  return start;
}

Result<uint64_t, VmError> VmState::MapAnonymous(Pid pid, uint64_t size, Placement placement,
                                                uint8_t protection) {
  Slot* slot = TRY(LiveSlot(pid));
  const uint64_t start = TRY(Place(slot->space, size, placement, protection));
  slot->space.Insert(
      Region{start, size / kPageSize, RegionKind::kAnonymous, protection, kProtAll, 0});
  return start;
}

Result<uint64_t, VmError> VmState::MapFrame(Pid pid, FrameId frame, uint64_t size, RegionKind kind,
                                            Placement placement, uint8_t protection) {
  Slot* slot = TRY(LiveSlot(pid));
  if (kind == RegionKind::kAnonymous) return Err(VmError::kBadArgument);
  const uint64_t start = TRY(Place(slot->space, size, placement, protection));
  const uint32_t index = TRY(frames_.Add(frame, kNoOwner, 0));
  slot->space.Insert(Region{start, size / kPageSize, kind, protection, kProtAll, index});
  return start;
}

Result<uint64_t, VmError> VmState::Share(Pid from, uint64_t address, Pid to, Placement placement,
                                         uint8_t protection) {
  Slot* source = TRY(LiveSlot(from));
  Slot* target = TRY(LiveSlot(to));
  const Region* region = source->space.Find(address);
  if (region == nullptr) return Err(VmError::kNotMapped);
  if (region->kind != RegionKind::kShared) return Err(VmError::kNotShared);
  TRY(CheckProtectionValue(protection));
  if ((protection & ~region->protection) != 0) return Err(VmError::kProtectionDenied);
  const Region shared = *region;  // Insert may move the source's regions (from == to)
  const uint64_t start = TRY(Place(target->space, shared.pages * kPageSize, placement, protection));
  frames_.Ref(shared.frame);
  target->space.Insert(
      Region{start, shared.pages, RegionKind::kShared, protection, protection, shared.frame});
  return start;
}

Result<FaultPlan, VmError> VmState::Fault(Pid pid, uint64_t address, Access access) {
  Slot* slot = TRY(LiveSlot(pid));
  const Region* region = slot->space.Find(address);
  if (region == nullptr || region->kind != RegionKind::kAnonymous ||
      !Allows(region->protection, access)) {
    return Err(VmError::kSegfault);
  }
  const uint64_t page = AlignDown(address, kPageSize);
  // A touched page is mapped with its region's protection: a fault on it is a violation.
  if (frames_.FindPage(SlotIndex(*slot), page) != FrameTable::kNone) {
    return Err(VmError::kSegfault);
  }
  return FaultPlan{page, region->protection};
}

Result<void, VmError> VmState::CommitPage(Pid pid, uint64_t page, FrameId frame) {
  Slot* slot = TRY(LiveSlot(pid));
  if (!IsAligned(page, kPageSize)) return Err(VmError::kBadArgument);
  const Region* region = slot->space.Find(page);
  if (region == nullptr || region->kind != RegionKind::kAnonymous) {
    return Err(VmError::kSegfault);
  }
  if (frames_.FindPage(SlotIndex(*slot), page) != FrameTable::kNone) {
    return Err(VmError::kAlreadyResident);
  }
  TRY(frames_.Add(frame, SlotIndex(*slot), page));
  return Ok<VmError>();
}

Result<uint64_t, VmError> VmState::RangePages(uint64_t address, uint64_t size) {
  if (size == 0 || !IsAligned(size, kPageSize) || !IsAligned(address, kPageSize)) {
    return Err(VmError::kBadArgument);
  }
  if (address < kUserBase || !RangeInside(address, size, kUserEnd)) {
    return Err(VmError::kOutsideUserSpace);
  }
  return size / kPageSize;
}

void VmState::ReleaseRegions(Slot& slot, size_t first, size_t last) {
  for (size_t i = first; i < last; ++i) {
    const Region& region = slot.space.region(i);
    if (region.kind == RegionKind::kAnonymous) {
      frames_.ReleasePages(SlotIndex(slot), region.start, region.end(), kMaxFrames);
    } else {
      frames_.Unref(region.frame);
    }
  }
}

Result<void, VmError> VmState::Unmap(Pid pid, uint64_t address, uint64_t size) {
  Slot* slot = TRY(LiveSlot(pid));
  const uint64_t pages = TRY(RangePages(address, size));
  const RangeCover cover = slot->space.Examine(address, pages);
  if (cover.intersecting == 0) return Err(VmError::kNotMapped);
  if (cover.splits_frame) return Err(VmError::kSplitsFrame);
  if (slot->space.region_count() + cover.splits - cover.intersecting > kMaxRegions) {
    return Err(VmError::kTooManyRegions);
  }
  size_t first = 0;
  size_t last = 0;
  slot->space.Carve(address, pages, &first, &last);
  ReleaseRegions(*slot, first, last);
  slot->space.Erase(first, last);
  return Ok<VmError>();
}

Result<void, VmError> VmState::Protect(Pid pid, uint64_t address, uint64_t size,
                                       uint8_t protection) {
  Slot* slot = TRY(LiveSlot(pid));
  const uint64_t pages = TRY(RangePages(address, size));
  TRY(CheckProtectionValue(protection));
  const RangeCover cover = slot->space.Examine(address, pages);
  if (cover.has_hole) return Err(VmError::kNotMapped);
  if (cover.splits_frame) return Err(VmError::kSplitsFrame);
  for (size_t i = 0; i < slot->space.region_count(); ++i) {
    const Region& r = slot->space.region(i);
    if (RangesOverlap(address, size, r.start, r.pages * kPageSize) &&
        (protection & ~r.max_protection) != 0) {
      return Err(VmError::kProtectionDenied);
    }
  }
  if (slot->space.region_count() + cover.splits > kMaxRegions) {
    return Err(VmError::kTooManyRegions);
  }
  size_t first = 0;
  size_t last = 0;
  slot->space.Carve(address, pages, &first, &last);
  for (size_t i = first; i < last; ++i) slot->space.SetProtection(i, protection);
  return Ok<VmError>();
}

Result<TeardownProgress, VmError> VmState::Teardown(Pid pid, size_t max_steps) {
  Slot* slot = const_cast<Slot*>(FindSlot(pid));
  if (slot == nullptr) return Err(VmError::kNoSuchProcess);
  if (max_steps == 0) return Err(VmError::kBadArgument);
  slot->dying = true;
  // Touched anonymous pages first, then the regions from the top (one step each).
  size_t steps = frames_.ReleasePages(SlotIndex(*slot), 0, ~uint64_t{0}, max_steps);
  AddressSpace& space = slot->space;
  while (steps < max_steps && space.region_count() > 0) {
    const Region& last = space.region(space.region_count() - 1);
    if (last.kind != RegionKind::kAnonymous) frames_.Unref(last.frame);
    space.PopBack();
    ++steps;
  }
  // Regions are only popped once every page is released, so no regions means nothing left.
  if (space.region_count() > 0) return TeardownProgress{steps, false};
  *slot = Slot{};
  return TeardownProgress{steps, true};
}

const AddressSpace* VmState::Space(Pid pid) const {
  const Slot* slot = FindSlot(pid);
  return slot == nullptr ? nullptr : &slot->space;
}

uint64_t VmState::ChargedBytes(Pid pid) const {
  const Slot* slot = FindSlot(pid);
  return slot == nullptr ? 0 : slot->space.charged_pages() * kPageSize;
}

uint32_t VmState::FrameRefs(FrameId frame) const {
  for (uint32_t i = 0; i < frames_.limit(); ++i) {
    const FrameRecord& r = frames_.record(i);
    if (r.used && !r.released && r.id == frame) return r.refs;
  }
  return 0;
}

size_t VmState::ResidentPages(Pid pid) const {
  const Slot* slot = FindSlot(pid);
  if (slot == nullptr) return 0;
  size_t count = 0;
  for (uint32_t i = 0; i < frames_.limit(); ++i) {
    const FrameRecord& r = frames_.record(i);
    count += r.used && !r.released && r.owner == SlotIndex(*slot);
  }
  return count;
}

}  // namespace hiillos::vm
