// kernel/object/destroy_table.h — DestroyTable: the per-type destroy functions that replace a
// virtual destructor (the type tag picks the entry), and MakeDestroyTable to build one.
//
// Each binary defines kDestroyTable exactly once, listing the object classes it contains:
//   constinit const DestroyTable kDestroyTable = MakeDestroyTable<Memory, Frame, Vmem, ...>();
// (the kernel in its object registry, host tests in their test support). A binary without a
// definition fails to link; a class listed twice fails to compile. The table is constant data:
// no constructor runs at boot and nothing can change it afterwards.
#pragma once

#include "kernel/object/kernel_object.h"

namespace hiillos::object {

using DestroyFunction = void (*)(KernelObject* object);

struct DestroyTable {
  DestroyFunction by_type[uapi::kObjectTypeCount];
};

extern const DestroyTable kDestroyTable;

template <KernelObjectClass T>
void DestroyAs(KernelObject* object) {
  // The table entry for T's tag only receives T objects; T's only base is KernelObject.
  T::Destroy(static_cast<T*>(object));
}

namespace internal {
template <KernelObjectClass T>
consteval void AddDestroyEntry(DestroyTable& table) {
  auto index = static_cast<uint32_t>(ObjectTypeOf<T>::kValue);
  // Two classes with one tag: not a constant expression, so compilation fails here.
  if (table.by_type[index] != nullptr) __builtin_trap();
  table.by_type[index] = &DestroyAs<T>;
}
}  // namespace internal

// The table with an entry for each listed class (other tags stay null: destroying an object of
// such a type is a kernel bug and traps).
template <KernelObjectClass... Ts>
consteval DestroyTable MakeDestroyTable() {
  DestroyTable table{};
  (internal::AddDestroyEntry<Ts>(table), ...);
  return table;
}

}  // namespace hiillos::object
