// kernel/object/kernel_object.cc — DestroyObject: the tag-dispatched end of an object's life.
#include "kernel/object/kernel_object.h"

#include "kernel/object/destroy_table.h"
#include "kernel/panic/assert.h"

namespace hiillos::object {

void DestroyObject(KernelObject* object) {
  auto index = static_cast<uint32_t>(object->type());
  // Objects are only built by classes in the table, so both checks guard kernel invariants.
  ASSERT(uapi::IsKnownObjectType(index), "DestroyObject: unknown object type");
  DestroyFunction destroy = kDestroyTable.by_type[index];
  ASSERT(destroy != nullptr, "DestroyObject: no destroy function for the type");
  destroy(object);
}

}  // namespace hiillos::object
