// uapi/object_type.h — ObjectType: the type tag of every kernel object a capability can name.
//
// Values are ABI (returned by identify, stored in capability slots): append only.
#pragma once

#include <stdint.h>

namespace hiillos::uapi {

// X(value, Name, reserved, what). `reserved` is 1 for types the kernel does not implement yet
// (IPC and hardware access, later issues); docs/objects.md lists them.
#define HIILLOS_OBJECT_TYPES(X)                                                                 \
  X(0, Null, 0, "no object: the null capability (handle 0) and free slots")                     \
  X(1, Memory, 0, "authority to allocate physical memory for new objects and frames")           \
  X(2, Frame, 0, "physically contiguous memory of 0x1000 << n bytes; the only mappable object") \
  X(3, Vmem, 0, "an address space")                                                             \
  X(4, Process, 0, "owns capabilities and a vmem")                                              \
  X(5, Thread, 0, "a schedulable thread of a process")                                          \
  X(6, Receiver, 0, "the receiving end of an IPC endpoint (exactly one per endpoint)")          \
  X(7, Sender, 0, "a sending end of an IPC endpoint, carrying a badge the receiver sees")       \
  X(8, Reply, 0, "a one-shot capability to answer one call")                                    \
  X(9, Notify, 0, "asynchronous notification bits")                                             \
  X(10, IrqLine, 0, "one hardware interrupt line, bound to a Notify")                           \
  X(11, IoPortRange, 0, "a range of x86 I/O ports")                                             \
  X(12, Log, 0, "authority to write lines to the kernel log (the Log syscall)")                 \
  X(13, DeviceMemory, 0, "authority over physical memory that is not RAM (MMIO, ACPI tables)")

enum class ObjectType : uint8_t {
#define HIILLOS_OBJECT_TYPE_ENUMERATOR(value, name, reserved, what) k##name = value,
  HIILLOS_OBJECT_TYPES(HIILLOS_OBJECT_TYPE_ENUMERATOR)
#undef HIILLOS_OBJECT_TYPE_ENUMERATOR
};

// Number of defined types; raw values in [0, kObjectTypeCount) are known types.
#define HIILLOS_OBJECT_TYPE_COUNT(value, name, reserved, what) +1
inline constexpr uint32_t kObjectTypeCount = 0 HIILLOS_OBJECT_TYPES(HIILLOS_OBJECT_TYPE_COUNT);
#undef HIILLOS_OBJECT_TYPE_COUNT

[[nodiscard]] constexpr bool IsKnownObjectType(uint32_t raw) {
  return raw < kObjectTypeCount;
}

// A stable name without the `k` prefix ("Frame"); "Unknown" for undefined values.
[[nodiscard]] constexpr const char* ObjectTypeName(ObjectType type) {
  switch (type) {
#define HIILLOS_OBJECT_TYPE_NAME_CASE(value, name, reserved, what) \
  case ObjectType::k##name:                                        \
    return #name;
    HIILLOS_OBJECT_TYPES(HIILLOS_OBJECT_TYPE_NAME_CASE)
#undef HIILLOS_OBJECT_TYPE_NAME_CASE
  }
  return "Unknown";
}

// True for types reserved for later issues (the kernel creates no such object yet).
[[nodiscard]] constexpr bool IsReservedObjectType(ObjectType type) {
  switch (type) {
#define HIILLOS_OBJECT_TYPE_RESERVED_CASE(value, name, reserved, what) \
  case ObjectType::k##name:                                            \
    return (reserved) != 0;
    HIILLOS_OBJECT_TYPES(HIILLOS_OBJECT_TYPE_RESERVED_CASE)
#undef HIILLOS_OBJECT_TYPE_RESERVED_CASE
  }
  return false;
}

static_assert(sizeof(ObjectType) == 1);
static_assert(static_cast<uint32_t>(ObjectType::kDeviceMemory) + 1 == kObjectTypeCount,
              "values must be dense: kObjectTypeCount follows the last type");

}  // namespace hiillos::uapi
