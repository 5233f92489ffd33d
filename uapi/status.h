// uapi/status.h — Status: the one closed set of result codes shared by kernel and user space.
//
// Every syscall returns a Status in rax: kOk (0) or exactly one positive error value. Each
// syscall's entry in uapi/syscalls.h lists the errors it can return. Values are ABI: append new
// codes at the end, never renumber or reuse one. There is no error that means "partly succeeded".
#pragma once

#include <stdint.h>

namespace hiillos::uapi {

// X(value, Name, reserved, meaning). `reserved` is 1 for codes no call returns yet (kept for the
// IPC and timer calls of later issues); docs/objects.md lists them.
#define HIILLOS_STATUSES(X)                                                                    \
  X(0, Ok, 0, "success: the only non-error value")                                             \
  X(1, InvalidSyscall, 0, "unknown syscall number")                                            \
  X(2, InvalidCapability, 0,                                                                   \
    "handle 0, out of range, a free slot, or a slot another process owns")                     \
  X(3, WrongType, 0, "the capability names an object of another type than the call needs")     \
  X(4, MissingRights, 0, "the capability lacks a right the operation needs")                   \
  X(5, InvalidArgument, 0, "a value argument is outside its documented domain (flags, size)")  \
  X(6, OutOfMemory, 0, "no memory for the request (in the Memory object or in the kernel)")    \
  X(7, BadAddress, 0, "a user pointer is not canonical, not user, unmapped or lacks access")   \
  X(8, AlreadyMapped, 0, "the frame capability is already mapped (clone it to map it again)")  \
  X(9, Overlap, 0, "the new mapping would overlap an existing one")                            \
  X(10, NotMapped, 0, "nothing is mapped where the operation needs a mapping")                 \
  X(11, Busy, 0, "the object's current state forbids the operation (already started, ...)")    \
  X(12, NoSlots, 0, "the capability table cannot grow any more")                               \
  X(13, PermissionDenied, 0,                                                                   \
    "never allowed, whatever the rights (writable + executable mapping, priority above the "   \
    "process's maximum, ...)")                                                                 \
  X(14, WouldBlock, 0, "a non-blocking call found nothing to do (no message, nobody waiting)") \
  X(15, Dead, 0, "the peer is gone (process dead, receiver deleted, caller of a reply died)")  \
  X(16, TimedOut, 0, "a wait with a deadline reached it first")                                \
  X(17, Interrupted, 0, "a blocking call was cut short: its thread was stopped or killed")

enum class Status : int64_t {
#define HIILLOS_STATUS_ENUMERATOR(value, name, reserved, meaning) k##name = value,
  HIILLOS_STATUSES(HIILLOS_STATUS_ENUMERATOR)
#undef HIILLOS_STATUS_ENUMERATOR
};

// Number of defined codes; raw values in [0, kStatusCount) are known statuses.
#define HIILLOS_STATUS_COUNT(value, name, reserved, meaning) +1
inline constexpr int64_t kStatusCount = 0 HIILLOS_STATUSES(HIILLOS_STATUS_COUNT);
#undef HIILLOS_STATUS_COUNT

[[nodiscard]] constexpr bool IsKnownStatus(int64_t raw) {
  return raw >= 0 && raw < kStatusCount;
}

// A stable name without the `k` prefix ("InvalidCapability"); "Unknown" for undefined values
// (user space may cast any register value to Status).
[[nodiscard]] constexpr const char* StatusName(Status status) {
  switch (status) {
#define HIILLOS_STATUS_NAME_CASE(value, name, reserved, meaning) \
  case Status::k##name:                                          \
    return #name;
    HIILLOS_STATUSES(HIILLOS_STATUS_NAME_CASE)
#undef HIILLOS_STATUS_NAME_CASE
  }
  return "Unknown";
}

// True for codes reserved for later issues (no call returns them yet).
[[nodiscard]] constexpr bool IsReservedStatus(Status status) {
  switch (status) {
#define HIILLOS_STATUS_RESERVED_CASE(value, name, reserved, meaning) \
  case Status::k##name:                                              \
    return (reserved) != 0;
    HIILLOS_STATUSES(HIILLOS_STATUS_RESERVED_CASE)
#undef HIILLOS_STATUS_RESERVED_CASE
  }
  return false;
}

static_assert(sizeof(Status) == 8);
static_assert(static_cast<int64_t>(Status::kInterrupted) + 1 == kStatusCount,
              "values must be dense: kStatusCount follows the last status");

}  // namespace hiillos::uapi
