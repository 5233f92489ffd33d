// uapi/object_type.h — ObjectType: the type tag of every kernel object a capability can name.
//
// Values are ABI (returned by identify, stored in capability slots): append only.
#pragma once

#include <stdint.h>

namespace hiillos::uapi {

enum class ObjectType : uint8_t {
  kNull = 0,          // no object: the null capability (handle 0) and free slots
  kMemory = 1,        // authority to allocate physical memory for new objects and frames
  kFrame = 2,         // physically contiguous memory of 0x1000 << n bytes; the only mappable object
  kVmem = 3,          // an address space
  kProcess = 4,       // owns capabilities and a vmem
  kThread = 5,        // a schedulable thread of a process
  kReceiver = 6,      // the receiving end of an IPC endpoint (exactly one per endpoint)
  kSender = 7,        // a sending end of an IPC endpoint, carrying a badge the receiver sees
  kReply = 8,         // a one-shot capability to answer one call
  kNotify = 9,        // asynchronous notification bits
  kIrqLine = 10,      // one hardware interrupt line, bound to a Notify
  kIoPortRange = 11,  // a range of x86 I/O ports
};

// Number of defined types; raw values in [0, kObjectTypeCount) are known types.
inline constexpr uint32_t kObjectTypeCount = 12;

[[nodiscard]] constexpr bool IsKnownObjectType(uint32_t raw) {
  return raw < kObjectTypeCount;
}

// A stable name without the `k` prefix ("Frame"); "Unknown" for undefined values.
[[nodiscard]] constexpr const char* ObjectTypeName(ObjectType type) {
  switch (type) {
    case ObjectType::kNull:
      return "Null";
    case ObjectType::kMemory:
      return "Memory";
    case ObjectType::kFrame:
      return "Frame";
    case ObjectType::kVmem:
      return "Vmem";
    case ObjectType::kProcess:
      return "Process";
    case ObjectType::kThread:
      return "Thread";
    case ObjectType::kReceiver:
      return "Receiver";
    case ObjectType::kSender:
      return "Sender";
    case ObjectType::kReply:
      return "Reply";
    case ObjectType::kNotify:
      return "Notify";
    case ObjectType::kIrqLine:
      return "IrqLine";
    case ObjectType::kIoPortRange:
      return "IoPortRange";
  }
  return "Unknown";
}

static_assert(sizeof(ObjectType) == 1);
static_assert(static_cast<uint32_t>(ObjectType::kIoPortRange) + 1 == kObjectTypeCount,
              "kObjectTypeCount must follow the last type");

}  // namespace hiillos::uapi
