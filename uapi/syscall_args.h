// uapi/syscall_args.h — the vocabulary of the syscall table (uapi/syscalls.h): argument kinds
// (what each register carries and what the kernel checks about it), value kinds (what rdx
// carries back) and ErrorSet (the errors a call can return).
//
// Kinds are empty tag types, each naming the errors it implies (kErrors): the kernel maps each
// to a decoded, validated value (kernel/syscall/decode.h), the user runtime to a C++ parameter
// type (`UserType`) and a register (services/lib/syscalls.h), the reference check to a
// description (tools/syscall_reference).
#pragma once

#include <stdint.h>

#include "uapi/object_type.h"
#include "uapi/rights.h"
#include "uapi/status.h"

namespace hiillos::uapi {

// A capability handle: a 32-bit slot index (0 is the null capability).
using Handle = uint32_t;

// --- Errors -----------------------------------------------------------------------------------

// A set of Status codes (bit n = Status value n).
struct ErrorSet {
  uint64_t bits = 0;

  [[nodiscard]] constexpr bool Has(Status status) const {
    return (bits >> static_cast<uint64_t>(status) & 1) != 0;
  }
  friend constexpr ErrorSet operator|(ErrorSet a, ErrorSet b) { return {a.bits | b.bits}; }
  friend constexpr bool operator==(ErrorSet a, ErrorSet b) = default;
};
static_assert(kStatusCount <= 64, "ErrorSet holds one bit per status");

template <typename... S>
[[nodiscard]] constexpr ErrorSet Errors(S... statuses) {
  return ErrorSet{((uint64_t{1} << static_cast<uint64_t>(Status{statuses})) | ... | 0)};
}

// --- Argument kinds ---------------------------------------------------------------------------

// A handle to an object of type kType on which the caller holds at least kRights. The kernel
// looks it up before anything else: kInvalidCapability, kWrongType, kMissingRights.
template <ObjectType kType, Rights kRights>
struct Cap {
  using UserType = Handle;
  static constexpr ObjectType kObjectType = kType;
  static constexpr Rights kNeeded = kRights;
  static constexpr ErrorSet kErrors =
      Errors(Status::kInvalidCapability, Status::kWrongType, Status::kMissingRights);
};

// A handle to an object of any type; the operation itself checks the rights it needs (the
// capability table does it atomically). Too large for 32 bits: kInvalidCapability.
struct AnyCap {
  using UserType = Handle;
  static constexpr ErrorSet kErrors = Errors(Status::kInvalidCapability);
};

// A user pointer to one T the kernel copies in during decode (kBadAddress).
template <typename T>
struct UserIn {
  using UserType = const T*;
  using Pointee = T;
  static constexpr ErrorSet kErrors = Errors(Status::kBadAddress);
};

// A user pointer to one T the kernel writes when the call succeeds (kBadAddress).
template <typename T>
struct UserOut {
  using UserType = T*;
  using Pointee = T;
  static constexpr ErrorSet kErrors = Errors(Status::kBadAddress);
};

// A user pointer to T[n] whose length n is another argument; the call copies it in.
template <typename T>
struct UserInArray {
  using UserType = const T*;
  using Pointee = T;
  static constexpr ErrorSet kErrors = Errors(Status::kBadAddress);
};

// Any 64-bit value (an address, an exit code, a CPU mask): the call gives it meaning.
struct Word {
  using UserType = uint64_t;
  static constexpr ErrorSet kErrors{};
};

// A value in [0, kMax]; larger values are kInvalidArgument, checked in decode.
template <uint64_t kMaxValue>
struct UpTo {
  using UserType = uint64_t;
  static constexpr uint64_t kMax = kMaxValue;
  static constexpr ErrorSet kErrors = Errors(Status::kInvalidArgument);
};

// A Rights mask; undefined bits (or bits above 31) are kInvalidArgument, checked in decode.
struct RightsMask {
  using UserType = Rights;
  static constexpr ErrorSet kErrors = Errors(Status::kInvalidArgument);
};

// A set of MapFlags (uapi/syscalls.h), checked together with the address it applies to.
struct MapFlagBits {
  using UserType = uint64_t;
  static constexpr ErrorSet kErrors = Errors(Status::kInvalidArgument);
};

// --- Value kinds (rdx on success) ---------------------------------------------------------

// No value (rdx = 0). Plain `void` in the table.

// A new handle owned by the caller (or by the process named in the call).
struct NewHandle {};

// CapIdentify's value: (rights << 8) | type.
struct CapInfo {
  ObjectType type;
  Rights rights;

  [[nodiscard]] static constexpr uint64_t ToWord(CapInfo info) {
    return (static_cast<uint64_t>(info.rights.bits) << 8) | static_cast<uint64_t>(info.type);
  }
  [[nodiscard]] static constexpr CapInfo FromWord(uint64_t word) {
    return CapInfo{static_cast<ObjectType>(word & 0xff), Rights{static_cast<uint32_t>(word >> 8)}};
  }
};

// A 64-bit word of signal bits (NotifyWait, NotifyPoll).
struct Bits {};

// The call does not return to its caller (ThreadExit).
struct NoReturn {};

// An IPC call (uapi/ipc.h): a message travels in the message registers both ways (info word
// in rdx, badge out in rsi, words in r10 r8 r9 r12 r13 r14), beside the call's arguments.
struct Message {};

}  // namespace hiillos::uapi
