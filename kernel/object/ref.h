// kernel/object/ref.h — Ref<T>: a counted reference to a kernel object (copy = one more
// reference, move = hand the reference over, destruction = drop it).
//
// Dropping the last reference destroys the object before the drop returns (DestroyObject; objects
// it held that die with it are queued and destroyed by the same outermost call, iteratively, see
// kernel_object.h). Destroying may take locks, drop further references and pass preemption
// points (the thread may be switched out and continue on another CPU), so never drop a
// reference that might be the last one while holding a spinlock or relying on staying on this
// CPU: move it out into a local Ref and let it go after unlocking.
#pragma once

#include "kernel/object/kernel_object.h"
#include "kernel/panic/assert.h"
#include "lib/base/utility.h"

namespace hiillos::object {

template <typename T>
class Ref;

template <typename T>
Ref<T> AdoptRef(T* fresh);
template <typename T>
Ref<T> RefCast(Ref<KernelObject>&& any);

template <typename T>
class Ref {
 public:
  constexpr Ref() = default;
  constexpr Ref(decltype(nullptr)) {}
  Ref(const Ref& other) : object_(other.object_) { Inc(object_); }
  Ref(Ref&& other) : object_(other.object_) { other.object_ = nullptr; }
  // Upcasts, e.g. Ref<Frame> to Ref<KernelObject>.
  template <typename U>
  requires(__is_convertible_to(U*, T*) && !__is_same(U, T)) Ref(const Ref<U>& other)
      : object_(other.object_) {
    Inc(object_);
  }
  template <typename U>
  requires(__is_convertible_to(U*, T*) && !__is_same(U, T)) Ref(Ref<U>&& other)
      : object_(other.object_) {
    other.object_ = nullptr;
  }
  ~Ref() { reset(); }

  Ref& operator=(const Ref& other) {
    Ref copy(other);  // safe for self-assignment
    Swap(copy);
    return *this;
  }
  Ref& operator=(Ref&& other) {
    Ref taken(Move(other));
    Swap(taken);
    return *this;
  }

  // A new reference to an object the caller knows is alive (it holds, or something it holds
  // holds, a reference): +1.
  static Ref Retain(T* object) {
    Ref ref;
    ref.object_ = object;
    Inc(object);
    return ref;
  }
  // A new reference to an object that may be in destruction (reference count 0): null then.
  // For registries that list objects without holding references to them.
  static Ref TryRetain(T* object) {
    Ref ref;
    if (object != nullptr && static_cast<KernelObject*>(object)->TryIncRef()) ref.object_ = object;
    return ref;
  }
  // Gives up this Ref's reference without dropping it: the caller now owns it as a raw pointer
  // (e.g. a scheduler queue) and hands it back later with AdoptRef.
  [[nodiscard]] T* Leak() {
    T* object = object_;
    object_ = nullptr;
    return object;
  }

  T* get() const { return object_; }
  T* operator->() const { return object_; }
  T& operator*() const { return *object_; }
  explicit operator bool() const { return object_ != nullptr; }
  friend bool operator==(const Ref& a, const Ref& b) { return a.object_ == b.object_; }
  friend bool operator==(const Ref& a, decltype(nullptr)) { return a.object_ == nullptr; }

  // Drops the reference (destroying the object if it was the last one).
  void reset() {
    T* object = object_;
    object_ = nullptr;
    if (object != nullptr && static_cast<KernelObject*>(object)->DecRef()) {
      DestroyObject(object);
    }
  }

  void Swap(Ref& other) {
    T* mine = object_;
    object_ = other.object_;
    other.object_ = mine;
  }

 private:
  template <typename U>
  friend class Ref;
  friend Ref AdoptRef<T>(T* fresh);
  template <typename U>
  friend Ref<U> RefCast(Ref<KernelObject>&& any);

  static void Inc(T* object) {
    if (object != nullptr) static_cast<KernelObject*>(object)->IncRef();
  }

  T* object_ = nullptr;
};

// Takes over the one reference a newly constructed object holds. Use exactly once per object,
// in its Create(); the tag check catches a class passing the wrong type to KernelObject.
template <typename T>
Ref<T> AdoptRef(T* fresh) {
  static_assert(KernelObjectClass<T>);
  ASSERT(fresh == nullptr || fresh->type() == ObjectTypeOf<T>::kValue,
         "AdoptRef: the object's type tag is not its class's");
  Ref<T> ref;
  ref.object_ = fresh;
  return ref;
}

// Checked downcast: the same reference as Ref<T> when the object's tag is ObjectTypeOf<T>,
// otherwise a null Ref (and `any`'s reference is dropped).
template <typename T>
Ref<T> RefCast(Ref<KernelObject>&& any) {
  static_assert(KernelObjectClass<T>);
  Ref<KernelObject> taken(Move(any));
  Ref<T> ref;
  if (taken && taken->type() == ObjectTypeOf<T>::kValue) {
    // The tag says the object is a T, and T's only base is KernelObject.
    ref.object_ = static_cast<T*>(taken.object_);
    taken.object_ = nullptr;
  }
  return ref;
}

}  // namespace hiillos::object
