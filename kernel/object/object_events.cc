// kernel/object/object_events.cc — the one subscriber of object events.
#include "kernel/object/object_events.h"

namespace hiillos::object {
namespace {

ObjectEvents g_events;  // written once at boot

}  // namespace

void SubscribeObjectEvents(const ObjectEvents& events) {
  g_events = events;
}

void ReportMappingRemoved(uint32_t handle, uint32_t cookie) {
  if (g_events.mapping_removed != nullptr) g_events.mapping_removed(handle, cookie);
}

void ReportProcessDead(CapOwner& owner) {
  if (g_events.process_dead != nullptr) g_events.process_dead(owner);
}

Result<void, uapi::Status> CheckMapMark(uint64_t owner, uint32_t handle,
                                        const KernelObject* object) {
  if (g_events.check_map_mark == nullptr) return Ok<uapi::Status>();
  return g_events.check_map_mark(owner, handle, object);
}

Result<uint32_t, uapi::Status> ClaimMapMark(uint64_t owner, uint32_t handle,
                                            const KernelObject* object) {
  if (g_events.claim_map_mark == nullptr) return uint32_t{0};
  return g_events.claim_map_mark(owner, handle, object);
}

}  // namespace hiillos::object
