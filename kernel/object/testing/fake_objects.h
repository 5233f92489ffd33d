// kernel/object/testing/fake_objects.h — FakeObject<tag>: heap-allocated stand-in kernel objects
// for host tests, counting creations and destructions (the real object classes come later).
//
// The fakes borrow real tags (FakeFrame is a kFrame, ...); a test binary links them together
// with fake_objects.cc, which defines the binary's kDestroyTable for exactly these classes.
// Counters are atomics, so multi-threaded tests can read them after joining their threads.
#pragma once

#include <stdint.h>

#include "kernel/object/kernel_object.h"
#include "kernel/object/ref.h"
#include "lib/base/atomic.h"

namespace hiillos::object::testing {

template <ObjectType kTag>
class FakeObject final : public KernelObject {
 public:
  static constexpr ObjectType kObjectType = kTag;
  // Called from Destroy before the object is freed (e.g. to check which locks are free).
  using DestroyHook = void (*)(FakeObject* dying, void* context);

  static Ref<FakeObject> Create(uint64_t value = 0) {
    created_.FetchAdd(1, MemoryOrder::kRelaxed);
    return AdoptRef(new FakeObject(value));
  }
  static void Destroy(FakeObject* object) {
    if (hook_ != nullptr) hook_(object, hook_context_);
    delete object;
    destroyed_.FetchAdd(1, MemoryOrder::kRelaxed);
  }

  static uint64_t Created() { return created_.Load(MemoryOrder::kRelaxed); }
  static uint64_t Destroyed() { return destroyed_.Load(MemoryOrder::kRelaxed); }
  static uint64_t Live() { return Created() - Destroyed(); }
  // Not thread-safe: set it before starting threads, clear it after joining them.
  static void SetDestroyHook(DestroyHook hook, void* context) {
    hook_ = hook;
    hook_context_ = context;
  }

  uint64_t value() const { return value_; }
  // A reference this object holds (dropped when it is destroyed): lets tests build chains.
  void set_child(Ref<KernelObject> child) { child_ = static_cast<Ref<KernelObject>&&>(child); }

 private:
  explicit FakeObject(uint64_t value) : KernelObject(kTag), value_(value) {}
  ~FakeObject() = default;

  uint64_t value_;
  Ref<KernelObject> child_;

  static inline Atomic<uint64_t> created_;
  static inline Atomic<uint64_t> destroyed_;
  static inline DestroyHook hook_ = nullptr;
  static inline void* hook_context_ = nullptr;
};

using FakeFrame = FakeObject<ObjectType::kFrame>;
using FakeThread = FakeObject<ObjectType::kThread>;
using FakeNotify = FakeObject<ObjectType::kNotify>;

// Objects of all fake classes currently alive.
inline uint64_t LiveFakeObjects() {
  return FakeFrame::Live() + FakeThread::Live() + FakeNotify::Live();
}

}  // namespace hiillos::object::testing
