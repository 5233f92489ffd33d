// services/vm/space_release.h — ReleaseStep: one bounded step of releasing a space the vm server
// holds (docs/vm.md "Releasing a space"). A step tears down at most `max_steps` frame references
// in VmState, undoes at most `max_steps` of the server's mappings and deletes at most `max_steps`
// released frames; the server runs one step per message until the result says done, so a large
// space never holds the server for long and other clients are served in between. The kernel
// calls are the caller's (`Kernel`), so the logic is host-tested with a fake.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "services/vm/mapping_table.h"
#include "services/vm/vm_state.h"

namespace hiillos::vm {

inline constexpr size_t kMaxReleaseStep = 64;

struct ReleaseStepResult {
  size_t torn_down;  // frame references VmState released
  size_t unmapped;   // mappings undone (Kernel::Unmap calls)
  size_t deleted;    // frames deleted (Kernel::DeleteFrame calls)
  bool done;         // nothing of the space is left: the server frees its slot
};

// `Kernel` provides `void Unmap(const Mapping&)` (VmemUnmap, and deleting the clone when
// map_handle != frame) and `void DeleteFrame(FrameId)`. `slot` is the server's slot of the space
// (MappingTable), `pid` its VmState id. From the first step on, VmState refuses every other
// operation on the space (kDying). `max_steps` is clamped to 1..kMaxReleaseStep.
template <typename Kernel>
ReleaseStepResult ReleaseStep(VmState& state, MappingTable& mappings, uint16_t slot, Pid pid,
                              size_t max_steps, Kernel& kernel) {
  if (max_steps == 0) max_steps = 1;
  if (max_steps > kMaxReleaseStep) max_steps = kMaxReleaseStep;
  ReleaseStepResult result{0, 0, 0, false};
  bool state_done = true;  // a space VmState no longer knows has nothing left there
  if (auto progress = state.Teardown(pid, max_steps); progress.ok()) {
    result.torn_down = progress.value().steps;
    state_done = progress.value().done;
  }
  Mapping taken[kMaxReleaseStep];
  result.unmapped = mappings.Take(slot, 0, ~uint64_t{0}, taken, max_steps);
  for (size_t i = 0; i < result.unmapped; ++i) kernel.Unmap(taken[i]);
  FrameId released[kMaxReleaseStep];
  result.deleted = state.TakeReleased(released, max_steps);
  for (size_t i = 0; i < result.deleted; ++i) kernel.DeleteFrame(released[i]);
  result.done = state_done && result.unmapped < max_steps && state.frames().released_count() == 0;
  return result;
}

}  // namespace hiillos::vm
