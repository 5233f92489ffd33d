// services/vm/vm_state.h — VmState: the vm server's address-space logic for every process it
// manages — anonymous memory (lazily zero-filled through page faults), shared frames
// (reference-counted across processes), ELF segment frames, fixed and searched placement,
// partial unmap and protection changes with W^X, per-process Memory budgets, and teardown in
// bounded steps. Pure bookkeeping with fixed tables (no heap), host-tested; the vm server
// (issue 11) maps IPC requests onto these calls and performs the kernel calls they imply
// (VmemMap/VmemUnmap, Frame allocation and deletion). Owned by the server for its lifetime.
//
// Frames: the server allocates a Frame and names it to VmState (MapFrame, CommitPage); when
// the last region or page using it goes, the frame enters the release queue, and the server
// takes it with TakeReleased and deletes the capability.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "lib/base/result.h"
#include "services/vm/address_space.h"
#include "services/vm/frame_table.h"
#include "services/vm/region.h"

namespace hiillos::vm {

inline constexpr size_t kMaxProcesses = 64;

// Where a new region goes: at `address` (fixed, no guard gap), or when `address` is 0 wherever
// the policy finds room, `alignment`-aligned (a power of two, at least a page; 0 means a page).
struct Placement {
  uint64_t address;
  uint64_t alignment;
};

// What the server does for a fault VmState accepted: allocate a page-sized Frame, zero it, map
// it at `page` with `protection`, then report it with CommitPage.
struct FaultPlan {
  uint64_t page;
  uint8_t protection;
};

struct TeardownProgress {
  size_t steps;  // references released in this call (at most the call's limit)
  bool done;     // the address space is gone
};

class VmState {
 public:
  explicit VmState(FitPolicy policy) : policy_(policy) {}
  VmState(const VmState&) = delete;
  VmState& operator=(const VmState&) = delete;

  // A new, empty address space with a budget of `budget_bytes` (rounded down to pages).
  // Errors: kProcessExists, kProcessTableFull.
  Result<void, VmError> CreateProcess(Pid pid, uint64_t budget_bytes);

  // Anonymous memory of `size` bytes (page multiple); its start. Errors: kNoSuchProcess,
  // kDying, kBadArgument, kWriteExecute, kOutsideUserSpace, kOverlap, kNoFreeRange,
  // kTooManyRegions, kOverBudget.
  Result<uint64_t, VmError> MapAnonymous(Pid pid, uint64_t size, Placement placement,
                                         uint8_t protection);
  // A region backed by the whole Frame `frame` of `size` bytes, kShared or kElfSegment; its
  // start. The server maps the frame there. Errors: those of MapAnonymous, kFrameTableFull.
  Result<uint64_t, VmError> MapFrame(Pid pid, FrameId frame, uint64_t size, RegionKind kind,
                                     Placement placement, uint8_t protection);
  // Maps the shared region of `from` holding `address` into `to` as well (the same frame, one
  // more reference); its start in `to`. The protection must not exceed the source region's.
  // Errors: those of MapAnonymous for `to`, kNotMapped, kNotShared, kProtectionDenied.
  Result<uint64_t, VmError> Share(Pid from, uint64_t address, Pid to, Placement placement,
                                  uint8_t protection);

  // A page fault of `pid` at `address`. Accepted only for an untouched page of an anonymous
  // region that allows the access; otherwise kSegfault (the process dies). Also
  // kNoSuchProcess, kDying.
  Result<FaultPlan, VmError> Fault(Pid pid, uint64_t address, Access access);
  // The server mapped `frame` for the fault at `page`. Errors: kNoSuchProcess, kDying,
  // kBadArgument (unaligned), kSegfault (no anonymous region there any more),
  // kAlreadyResident, kFrameTableFull (the server then deletes the frame).
  Result<void, VmError> CommitPage(Pid pid, uint64_t page, FrameId frame);

  // Removes [address, address + size) from the regions it meets, splitting anonymous regions;
  // their pages return to the budget and their frames are released. Errors: kNoSuchProcess,
  // kDying, kBadArgument, kNotMapped (no region meets the range), kSplitsFrame,
  // kTooManyRegions.
  Result<void, VmError> Unmap(Pid pid, uint64_t address, uint64_t size);
  // Sets the protection of [address, address + size), which regions must cover without
  // holes. The server remaps the resident pages. Errors: kNoSuchProcess, kDying,
  // kBadArgument, kWriteExecute, kNotMapped, kSplitsFrame, kTooManyRegions.
  Result<void, VmError> Protect(Pid pid, uint64_t address, uint64_t size, uint8_t protection);

  // Tears the process's address space down, releasing at most `max_steps` (> 0) frame
  // references per call; call again until done. From the first call on, every other
  // operation on the process returns kDying. Errors: kNoSuchProcess, kBadArgument.
  Result<TeardownProgress, VmError> Teardown(Pid pid, size_t max_steps);

  // Frames no region uses any more, for the server to delete: up to `capacity`; how many.
  size_t TakeReleased(FrameId* out, size_t capacity) { return frames_.TakeReleased(out, capacity); }

  // Inspection (listing, accounting, tests).
  const AddressSpace* Space(Pid pid) const;
  uint64_t ChargedBytes(Pid pid) const;
  // References to `frame`, 0 when it is not tracked (or only waits in the release queue).
  uint32_t FrameRefs(FrameId frame) const;
  // Touched pages of `pid`'s anonymous regions.
  size_t ResidentPages(Pid pid) const;
  const FrameTable& frames() const { return frames_; }

 private:
  struct Slot {
    bool used = false;
    bool dying = false;
    Pid pid = 0;
    AddressSpace space;
  };

  Result<Slot*, VmError> LiveSlot(Pid pid);
  const Slot* FindSlot(Pid pid) const;
  uint16_t SlotIndex(const Slot& slot) const { return static_cast<uint16_t>(&slot - slots_); }
  // Checks size, protection and placement and finds the start for a new region.
  Result<uint64_t, VmError> Place(const AddressSpace& space, uint64_t size, Placement placement,
                                  uint8_t protection) const;
  // Checks address and size of a range operation; its page count.
  static Result<uint64_t, VmError> RangePages(uint64_t address, uint64_t size);
  // Releases the frame behind regions [first, last) of `slot` and its resident pages there.
  void ReleaseRegions(Slot& slot, size_t first, size_t last);

  FitPolicy policy_;
  Slot slots_[kMaxProcesses];
  FrameTable frames_;
};

}  // namespace hiillos::vm
