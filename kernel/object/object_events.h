// kernel/object/object_events.h — what objects report when state that others track changes:
// a mapping is gone (the frame capability it was made through may be mapped again) or a process
// is dead (its capabilities go). Objects call Report*(); whoever tracks capabilities (the
// kernel's capability table, cap::KernelTableInit) subscribes once at boot. So the object layer
// never reaches into the capability table, and //kernel/object does not depend on //kernel/cap.
//
// Ownership: set once by the boot CPU before any object exists; read-only afterwards. Without a
// subscriber the reports go nowhere (host tests, early boot).
#pragma once

#include <stdint.h>

namespace hiillos::object {

struct ObjectEvents {
  // The mapping made through capability (`handle`, `cookie`) was removed.
  void (*mapping_removed)(uint32_t handle, uint32_t cookie) = nullptr;
  // Process `process_id` ended (its last thread exited) or was destroyed.
  void (*process_dead)(uint32_t process_id) = nullptr;
};

void SubscribeObjectEvents(const ObjectEvents& events);

void ReportMappingRemoved(uint32_t handle, uint32_t cookie);
void ReportProcessDead(uint32_t process_id);

}  // namespace hiillos::object
