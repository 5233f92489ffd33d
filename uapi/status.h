// uapi/status.h — Status: the one closed set of result codes shared by kernel and user space.
//
// Every syscall returns a Status in rax: kOk (0) or exactly one positive error value. Each
// syscall's documentation lists the errors it can return. Values are ABI: append new codes at
// the end, never renumber or reuse one. There is no error that means "partly succeeded".
#pragma once

#include <stdint.h>

namespace hiillos::uapi {

enum class Status : int64_t {
  kOk = 0,                 // success: the only non-error value
  kInvalidSyscall = 1,     // unknown syscall number
  kInvalidCapability = 2,  // handle 0, out of range, a free slot, or a slot another process owns
  kWrongType = 3,          // the capability names an object of another type than the call needs
  kMissingRights = 4,      // the capability lacks a right the operation needs
  kInvalidArgument = 5,    // a value argument is outside its documented domain (flags, size, ...)
  kOutOfMemory = 6,        // no memory for the request (in the Memory object or in the kernel)
  kBadAddress = 7,         // a user pointer is not canonical, not user, unmapped or lacks access
  kAlreadyMapped = 8,      // the frame capability is already mapped (clone it to map it again)
  kOverlap = 9,            // the new mapping would overlap an existing one
  kNotMapped = 10,         // nothing is mapped where the operation needs a mapping
  kBusy = 11,              // the object's current state forbids the operation (already started,
                           // another thread already waiting, ...)
  kNoSlots = 12,           // the capability table cannot grow any more
  kPermissionDenied = 13,  // never allowed, whatever the rights (writable + executable mapping,
                           // hardware access outside the capability's range, ...)
  kWouldBlock = 14,        // a non-blocking call found nothing to do (no message, nobody waiting)
  kDead = 15,              // the peer is gone (receiver deleted, caller of a reply died, ...)
  kTimedOut = 16,          // a wait with a deadline reached it first
};

// Number of defined codes; raw values in [0, kStatusCount) are known statuses.
inline constexpr int64_t kStatusCount = 17;

[[nodiscard]] constexpr bool IsKnownStatus(int64_t raw) {
  return raw >= 0 && raw < kStatusCount;
}

// A stable name without the `k` prefix ("InvalidCapability"); "Unknown" for undefined values
// (user space may cast any register value to Status).
[[nodiscard]] constexpr const char* StatusName(Status status) {
  switch (status) {
    case Status::kOk:
      return "Ok";
    case Status::kInvalidSyscall:
      return "InvalidSyscall";
    case Status::kInvalidCapability:
      return "InvalidCapability";
    case Status::kWrongType:
      return "WrongType";
    case Status::kMissingRights:
      return "MissingRights";
    case Status::kInvalidArgument:
      return "InvalidArgument";
    case Status::kOutOfMemory:
      return "OutOfMemory";
    case Status::kBadAddress:
      return "BadAddress";
    case Status::kAlreadyMapped:
      return "AlreadyMapped";
    case Status::kOverlap:
      return "Overlap";
    case Status::kNotMapped:
      return "NotMapped";
    case Status::kBusy:
      return "Busy";
    case Status::kNoSlots:
      return "NoSlots";
    case Status::kPermissionDenied:
      return "PermissionDenied";
    case Status::kWouldBlock:
      return "WouldBlock";
    case Status::kDead:
      return "Dead";
    case Status::kTimedOut:
      return "TimedOut";
  }
  return "Unknown";
}

static_assert(sizeof(Status) == 8);
static_assert(static_cast<int64_t>(Status::kTimedOut) + 1 == kStatusCount,
              "kStatusCount must follow the last status");

}  // namespace hiillos::uapi
