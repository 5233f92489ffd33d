// kernel/object/kernel_object.cc — DestroyObject: the tag-dispatched end of an object's life,
// run through the calling context's destroy work list (iterative at any depth).
#include "kernel/object/kernel_object.h"

#include "kernel/object/destroy_table.h"
#include "kernel/panic/assert.h"

namespace hiillos::object {

namespace {

void DestroyNow(KernelObject* object) {
  auto index = static_cast<uint32_t>(object->type());
  // Objects are only built by classes in the table, so both checks guard kernel invariants.
  ASSERT(uapi::IsKnownObjectType(index), "DestroyObject: unknown object type");
  DestroyFunction destroy = kDestroyTable.by_type[index];
  ASSERT(destroy != nullptr, "DestroyObject: no destroy function for the type");
  destroy(object);
}

}  // namespace

void DestroyObject(KernelObject* object) {
  WorkStack* stack = CurrentDestroyStack();
  if (stack == nullptr) {
    DestroyNow(object);
    return;
  }
  stack->RunOrDefer(&object->destroy_link_, [](WorkLink* link) {
    DestroyNow(KernelObject::FromDestroyLink(link));
    BetweenDestructions();
  });
}

}  // namespace hiillos::object
