// kernel/object/kernel_object.cc — DestroyObject: the tag-dispatched end of an object's life.
#include "kernel/object/kernel_object.h"

#include "kernel/object/destroy_table.h"

namespace hiillos::object {

void DestroyObject(KernelObject* object) {
  auto index = static_cast<uint32_t>(object->type());
  // Objects are only built by classes in the table, so both checks guard kernel invariants.
  if (!uapi::IsKnownObjectType(index)) __builtin_trap();
  DestroyFunction destroy = kDestroyTable.by_type[index];
  if (destroy == nullptr) __builtin_trap();
  destroy(object);
}

}  // namespace hiillos::object
