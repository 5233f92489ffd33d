// kernel/object/kernel_object.h — KernelObject: the intrusive, reference-counted base of every
// kernel object, and the ObjectTypeOf<T> trait mapping each object class to its uapi type tag.
//
// Ownership: an object is owned by its references (Ref<T>, kernel/object/ref.h): capability
// slots, other objects, running kernel code. It lives until the last reference is dropped, which
// destroys it through the destroy table (kernel/object/destroy_table.h), chosen by the type tag:
// there are no virtual functions and no RTTI. The reference count is updated with atomics, so
// references may be taken and dropped on any CPU.
//
// Teardown is iterative: DestroyObject runs through the calling context's WorkStack
// (CurrentDestroyStack, lib/base/work_stack.h). A last reference dropped while that context is
// already destroying something (a Process deleting its capabilities, a Vmem dropping its
// frames, an object dropping its children) only queues the object on the intrusive link below;
// the outermost DestroyObject destroys the queued objects one after another before returning.
// So a chain of objects a million deep tears down in constant stack depth.
//
// A concrete object class plugs in by
//   - deriving publicly from KernelObject (as its only base) and passing its tag to the
//     constructor,
//   - declaring `static constexpr uapi::ObjectType kObjectType = ...;` (read by ObjectTypeOf),
//   - providing `static void Destroy(T* object);` which runs the destructor and returns the
//     object's memory to where it came from,
//   - being listed in the binary's destroy table (MakeDestroyTable<...>).
#pragma once

#include <stdint.h>

#include "kernel/panic/assert.h"
#include "lib/base/atomic.h"
#include "lib/base/work_stack.h"
#include "uapi/object_type.h"

namespace hiillos::object {

using uapi::ObjectType;

class KernelObject;

// Destroys the object `object` by its type tag (the destroy table entry). Called exactly once,
// by whoever drops the last reference, with no lock of the caller's held (see ref.h). When the
// calling context is already inside a DestroyObject, `object` is queued instead and destroyed
// by that outermost call before it returns (see above).
void DestroyObject(KernelObject* object);

// The calling execution context's destroy work list, or nullptr where none exists yet (early
// boot: then objects are destroyed on the spot). Defined once per binary, next to its
// kDestroyTable: the kernel's gives each thread its own (sched::Thread) and each CPU's idle/boot
// context one; host test binaries give each host thread one.
WorkStack* CurrentDestroyStack();
// Called between two queued destructions: the kernel's is sched::PreemptionPoint (a deep graph
// is torn down in bounded pieces with interrupts served in between); host binaries' do nothing.
void BetweenDestructions();

class KernelObject {
 public:
  KernelObject(const KernelObject&) = delete;
  KernelObject& operator=(const KernelObject&) = delete;

  ObjectType type() const { return type_; }
  // A snapshot; only meaningful for tests and debugging (it may change right after).
  uint32_t RefCountForTesting() const { return ref_count_.Load(MemoryOrder::kRelaxed); }

 protected:
  // A new object holds one reference, which AdoptRef (ref.h) takes over.
  explicit KernelObject(ObjectType type) : type_(type) {}
  ~KernelObject() = default;

 private:
  template <typename T>
  friend class Ref;
  friend void DestroyObject(KernelObject* object);

  static KernelObject* FromDestroyLink(WorkLink* link) {
    // KernelObject is standard-layout (no virtuals, no base, one access level for its data).
    return reinterpret_cast<KernelObject*>(reinterpret_cast<char*>(link) -
                                           __builtin_offsetof(KernelObject, destroy_link_));
  }

  void IncRef() {
    // Relaxed is enough: whoever increments already holds a reference, so the object cannot be
    // destroyed concurrently.
    uint32_t old = ref_count_.FetchAdd(1, MemoryOrder::kRelaxed);
    // A count of 2^32 references is impossible (every reference lives in kernel memory that
    // is much smaller); reaching it means a reference leak: stop rather than wrap to zero.
    ASSERT(old != UINT32_MAX, "KernelObject: reference count overflow (a reference leak)");
  }
  // +1 unless the count is already 0 (the object is being destroyed): for registries that list
  // objects without owning them (a Process's thread list). Returns whether it took one.
  [[nodiscard]] bool TryIncRef() {
    uint32_t count = ref_count_.Load(MemoryOrder::kRelaxed);
    do {
      if (count == 0) return false;
    } while (!ref_count_.CompareExchange(count, count + 1, MemoryOrder::kAcquire,
                                         MemoryOrder::kRelaxed));
    return true;
  }
  // Returns true when this dropped the last reference (the caller then destroys the object).
  [[nodiscard]] bool DecRef() {
    // Release publishes this CPU's writes to the object; acquire on the last decrement makes
    // every other CPU's writes visible to the destroyer.
    uint32_t old = ref_count_.FetchSub(1, MemoryOrder::kAcqRel);
    ASSERT(old != 0, "KernelObject: dropped a reference nobody held");
    return old == 1;
  }

  Atomic<uint32_t> ref_count_{1};
  const ObjectType type_;
  WorkLink destroy_link_;  // queued for destruction (count 0) in some context's WorkStack
};
static_assert(__is_standard_layout(KernelObject), "FromDestroyLink needs offsetof");

// ObjectTypeOf<T>::kValue is the uapi tag of object class T (T::kObjectType). Specialise it
// instead for a class that cannot declare the constant.
template <typename T>
struct ObjectTypeOf {
  static constexpr ObjectType kValue = T::kObjectType;
};

// A class that can live behind a capability: a KernelObject with a non-null tag and Destroy().
template <typename T>
concept KernelObjectClass =
    __is_base_of(KernelObject, T) &&
    !__is_same(T, KernelObject) && ObjectTypeOf<T>::kValue != ObjectType::kNull
    && uapi::IsKnownObjectType(static_cast<uint32_t>(ObjectTypeOf<T>::kValue)) &&
    requires(T * object) {
  T::Destroy(object);
};

}  // namespace hiillos::object
