// kernel/object/object_events.h — what objects report when state that others track changes:
// a mapping is gone (the frame capability it was made through may be mapped again) or a process
// is dead (its capabilities go); and the two questions the map path asks about the "mapped" mark
// of the capability a frame is mapped through. Objects call Report*() / CheckMapMark() /
// ClaimMapMark(); whoever tracks capabilities (the kernel's capability table,
// cap::KernelTableInit) subscribes once at boot. So the object layer never reaches into the
// capability table, and //kernel/object does not depend on //kernel/cap.
//
// Ownership: set once by the boot CPU before any object exists; read-only afterwards. Without a
// subscriber the reports go nowhere (host tests, early boot).
#pragma once

#include <stdint.h>

#include "lib/base/result.h"
#include "uapi/status.h"

namespace hiillos::object {

class KernelObject;
struct CapOwner;  // cap_owner.h

struct ObjectEvents {
  // The mapping made through capability (`handle`, `cookie`) was removed.
  void (*mapping_removed)(uint32_t handle, uint32_t cookie) = nullptr;
  // The process owning `owner` ended (its last thread exited) or is being destroyed: its
  // capabilities go.
  void (*process_dead)(CapOwner& owner) = nullptr;
  // Whether capability `handle` of process `owner`, naming `object`, is free of a mapped mark
  // (kAlreadyMapped if marked); changes nothing.
  Result<void, uapi::Status> (*check_map_mark)(uint64_t owner, uint32_t handle,
                                               const KernelObject* object) = nullptr;
  // Marks it mapped and returns the mark's cookie (never 0); kAlreadyMapped if already marked.
  Result<uint32_t, uapi::Status> (*claim_map_mark)(uint64_t owner, uint32_t handle,
                                                   const KernelObject* object) = nullptr;
};

void SubscribeObjectEvents(const ObjectEvents& events);

void ReportMappingRemoved(uint32_t handle, uint32_t cookie);
void ReportProcessDead(CapOwner& owner);
// Without a subscriber (host tests, early boot) nothing is marked: Check succeeds, Claim gives 0.
Result<void, uapi::Status> CheckMapMark(uint64_t owner, uint32_t handle,
                                        const KernelObject* object);
Result<uint32_t, uapi::Status> ClaimMapMark(uint64_t owner, uint32_t handle,
                                            const KernelObject* object);

}  // namespace hiillos::object
