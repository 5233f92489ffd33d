// kernel/syscall/decode.h — the decode step: each argument kind of uapi/syscall_args.h becomes a
// checked value before a handler runs (capabilities looked up with their rights, user data
// copied in, values range-checked). Decoding changes no state.
#pragma once

#include <stdint.h>

#include "kernel/cap/kernel_table.h"
#include "kernel/object/bounded_value.h"
#include "kernel/object/device_memory.h"
#include "kernel/object/frame.h"
#include "kernel/object/io_port_range.h"
#include "kernel/object/ipc_objects.h"
#include "kernel/object/irq_line.h"
#include "kernel/object/log.h"
#include "kernel/object/memory.h"
#include "kernel/object/notify.h"
#include "kernel/object/process.h"
#include "kernel/object/thread.h"
#include "kernel/object/vmem.h"
#include "kernel/result/kresult.h"
#include "kernel/syscall/caller.h"
#include "kernel/user/user_copy.h"
#include "uapi/syscall_args.h"

namespace hiillos::syscall {

// A capability of the caller, looked up with the rights its argument kind needs. `rights` are
// all the capability's rights (a call may need more depending on other arguments).
template <object::KernelObjectClass T>
struct Capability {
  object::Ref<T> object;
  uapi::Rights rights;
  cap::Handle handle;

  T* operator->() const { return object.get(); }
};

// The kernel class behind each object type a Cap<> argument can name.
template <uapi::ObjectType kType>
struct ObjectClassOf;
template <>
struct ObjectClassOf<uapi::ObjectType::kMemory> {
  using Type = object::Memory;
};
template <>
struct ObjectClassOf<uapi::ObjectType::kFrame> {
  using Type = object::Frame;
};
template <>
struct ObjectClassOf<uapi::ObjectType::kVmem> {
  using Type = object::Vmem;
};
template <>
struct ObjectClassOf<uapi::ObjectType::kProcess> {
  using Type = object::Process;
};
template <>
struct ObjectClassOf<uapi::ObjectType::kThread> {
  using Type = object::Thread;
};
template <>
struct ObjectClassOf<uapi::ObjectType::kReceiver> {
  using Type = object::Receiver;
};
template <>
struct ObjectClassOf<uapi::ObjectType::kSender> {
  using Type = object::Sender;
};
template <>
struct ObjectClassOf<uapi::ObjectType::kReply> {
  using Type = object::Reply;
};
template <>
struct ObjectClassOf<uapi::ObjectType::kLog> {
  using Type = object::Log;
};
template <>
struct ObjectClassOf<uapi::ObjectType::kNotify> {
  using Type = object::Notify;
};
template <>
struct ObjectClassOf<uapi::ObjectType::kIrqLine> {
  using Type = object::IrqLine;
};
template <>
struct ObjectClassOf<uapi::ObjectType::kIoPortRange> {
  using Type = object::IoPortRange;
};
template <>
struct ObjectClassOf<uapi::ObjectType::kDeviceMemory> {
  using Type = object::DeviceMemory;
};

// A handle register: a value that does not fit 32 bits names no slot.
inline KResult<cap::Handle> DecodeHandle(uint64_t raw) {
  if (raw > UINT32_MAX) return Err(uapi::Status::kInvalidCapability);
  return static_cast<cap::Handle>(raw);
}

// ArgDecoder<Kind>::Decode(register) -> KResult<ArgDecoder<Kind>::Type>.
template <typename Kind>
struct ArgDecoder;

template <uapi::ObjectType kType, uapi::Rights kRights>
struct ArgDecoder<uapi::Cap<kType, kRights>> {
  using Class = typename ObjectClassOf<kType>::Type;
  static_assert(object::ObjectTypeOf<Class>::kValue == kType);
  using Type = Capability<Class>;
  static KResult<Type> Decode(uint64_t raw) {
    cap::Handle handle = TRY(DecodeHandle(raw));
    auto found =
        TRY(cap::KernelTable().LookupWithRights<Class>(Caller().cap_owner(), handle, kRights));
    return Type{Move(found.object), found.rights, handle};
  }
};

template <>
struct ArgDecoder<uapi::AnyCap> {
  using Type = cap::Handle;
  static KResult<Type> Decode(uint64_t raw) { return DecodeHandle(raw); }
};

template <typename T>
struct ArgDecoder<uapi::UserIn<T>> {
  using Type = T;
  static KResult<Type> Decode(uint64_t raw) { return user::CopyIn(user::UserIn<T>(raw)); }
};

template <typename T>
struct ArgDecoder<uapi::UserOut<T>> {
  using Type = user::UserOut<T>;
  static KResult<Type> Decode(uint64_t raw) { return Type(raw); }
};

template <typename T>
struct ArgDecoder<uapi::UserInArray<T>> {
  using Type = user::UserIn<T>;
  static KResult<Type> Decode(uint64_t raw) { return Type(raw); }
};

template <>
struct ArgDecoder<uapi::Word> {
  using Type = uint64_t;
  static KResult<Type> Decode(uint64_t raw) { return raw; }
};

template <uint64_t kMax>
struct ArgDecoder<uapi::UpTo<kMax>> {
  using Type = object::BoundedValue<kMax>;
  static KResult<Type> Decode(uint64_t raw) { return Type::Check(raw); }
};

template <>
struct ArgDecoder<uapi::RightsMask> {
  using Type = uapi::Rights;
  static KResult<Type> Decode(uint64_t raw) {
    if (raw > UINT32_MAX) return Err(uapi::Status::kInvalidArgument);
    uapi::Rights rights{static_cast<uint32_t>(raw)};
    if (!rights.IsValid()) return Err(uapi::Status::kInvalidArgument);
    return rights;
  }
};

// Checked together with the address and the frame (object::MapRequest).
template <>
struct ArgDecoder<uapi::MapFlagBits> {
  using Type = uint64_t;
  static KResult<Type> Decode(uint64_t raw) { return raw; }
};

}  // namespace hiillos::syscall
