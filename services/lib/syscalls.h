// services/lib/syscalls.h — the user side of uapi/syscalls.h, generated from HIILLOS_SYSCALLS:
//   rt::<Name>(...)       typed: handles, Rights, pointers and values as the table declares
//                         them, Result<T, uapi::Status> back. A call whose value is void and whose
//                         last argument is a UserOut<T> returns that T instead of taking the
//                         pointer (rt::MemoryInfo(memory) -> Result<uapi::MemoryInfo>).
//   IPC calls (value kind Message: Call, Send, Recv, Reply, ReplyRecv) take their handles and
//                         then the message: rt::Call(sender, message) -> Result<IpcMessage>,
//                         the message received (info, badge, words; the extended part is in
//                         the thread's IPC buffer). Send and Reply return an empty message.
//   rt::raw::<Name>(...)  one uint64_t per argument register, SysResult back: for tests that
//                         pass what the types cannot express (bad pointers, oversized values).
// Kernel handlers are syscall::Sys<Name>; nothing here shares their names.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "lib/base/result.h"
#include "services/lib/raw_syscall.h"
#include "uapi/syscalls.h"

namespace hiillos::rt {

using Handle = uapi::Handle;
using Status = uapi::Status;
using CapInfo = uapi::CapInfo;
template <typename T>
using SysOr = Result<T, uapi::Status>;

// A SysResult as a Result (the value on success).
inline SysOr<uint64_t> ToResult(SysResult result) {
  if (!result.ok()) return Err(result.status);
  return result.value;
}

namespace syscalls_internal {

template <typename T, T... kValues>
struct IntegerSequence {};
template <size_t kCount>
using IndexSequence = __make_integer_seq<IntegerSequence, size_t, kCount>;
template <size_t>
using Register = uint64_t;
template <typename... Kinds>
struct KindList {};

// One argument as its register.
constexpr uint64_t ToRegister(uint64_t value) {
  return value;
}
constexpr uint64_t ToRegister(uapi::Rights rights) {
  return rights.bits;
}
template <typename T>
uint64_t ToRegister(const T* pointer) {
  return reinterpret_cast<uint64_t>(pointer);
}

// What rdx becomes for each value kind.
template <typename Value>
struct UserValue;
template <>
struct UserValue<void> {
  using Type = SysOr<void>;
  static Type From(SysResult result) {
    if (!result.ok()) return Err(result.status);
    return Ok<Status>();
  }
};
template <>
struct UserValue<uapi::NewHandle> {
  using Type = SysOr<Handle>;
  static Type From(SysResult result) {
    if (!result.ok()) return Err(result.status);
    return static_cast<Handle>(result.value);
  }
};
template <>
struct UserValue<uapi::Bits> {
  using Type = SysOr<uint64_t>;
  static Type From(SysResult result) {
    if (!result.ok()) return Err(result.status);
    return result.value;
  }
};
template <>
struct UserValue<uapi::CapInfo> {
  using Type = SysOr<CapInfo>;
  static Type From(SysResult result) {
    if (!result.ok()) return Err(result.status);
    return CapInfo::FromWord(result.value);
  }
};

template <uint64_t kNumber, typename Indices>
struct RawCall;
template <uint64_t kNumber, size_t... kIndex>
struct RawCall<kNumber, IntegerSequence<size_t, kIndex...>> {
  SysResult operator()(Register<kIndex>... registers) const {
    return RawSyscall(kNumber, registers...);
  }
};

// Every argument passed by the caller.
template <uint64_t kNumber, typename Value, typename... Kinds>
struct TypedCall {
  typename UserValue<Value>::Type operator()(typename Kinds::UserType... args) const {
    return UserValue<Value>::From(RawSyscall(kNumber, ToRegister(args)...));
  }
};
template <uint64_t kNumber, typename... Kinds>
struct TypedCall<kNumber, uapi::Message, Kinds...> {
  static_assert(sizeof...(Kinds) <= 2, "IPC calls take at most two handles (rdi, rsi)");
  SysOr<uapi::IpcMessage> operator()(typename Kinds::UserType... args,
                                     const uapi::IpcMessage& message) const {
    const uint64_t handles[] = {ToRegister(args)..., 0, 0};
    uapi::IpcMessage inout = message;
    inout.badge = 0;
    Status status = RawIpcSyscall(kNumber, handles[0], handles[1], inout);
    if (status != Status::kOk) return Err(status);
    return inout;
  }
};
template <uint64_t kNumber, typename... Kinds>
struct TypedCall<kNumber, uapi::NoReturn, Kinds...> {
  [[noreturn]] void operator()(typename Kinds::UserType... args) const {
    (void)RawSyscall(kNumber, ToRegister(args)...);
    __builtin_trap();  // the kernel never returns from this call
  }
};

// The last argument (a UserOut<Out>) filled by the kernel and returned.
template <uint64_t kNumber, typename Out, typename KindList, typename Indices>
struct OutCall;
template <uint64_t kNumber, typename Out, typename... Kinds, size_t... kIndex>
struct OutCall<kNumber, Out, KindList<Kinds...>, IntegerSequence<size_t, kIndex...>> {
  SysOr<Out> operator()(typename __type_pack_element<kIndex, Kinds...>::UserType... args) const {
    Out out{};
    SysResult result = RawSyscall(kNumber, ToRegister(args)..., ToRegister(&out));
    if (!result.ok()) return Err(result.status);
    return out;
  }
};

template <typename Kind>
struct OutPointee {
  static constexpr bool kIsOut = false;
};
template <typename T>
struct OutPointee<uapi::UserOut<T>> {
  static constexpr bool kIsOut = true;
  using Type = T;
};

template <uint64_t kNumber, typename Signature>
struct WrapperFor;
template <uint64_t kNumber, typename Value, typename... Kinds>
struct WrapperFor<kNumber, Value(Kinds...)> {
  using Type = TypedCall<kNumber, Value, Kinds...>;
};
template <uint64_t kNumber, typename... Kinds>
requires(sizeof...(Kinds) > 0 && OutPointee<__type_pack_element<sizeof...(Kinds) - 1, Kinds...>>::
                                     kIsOut) struct WrapperFor<kNumber, void(Kinds...)> {
  using Type =
      OutCall<kNumber,
              typename OutPointee<__type_pack_element<sizeof...(Kinds) - 1, Kinds...>>::Type,
              KindList<Kinds...>, IndexSequence<sizeof...(Kinds) - 1>>;
};

template <uapi::Syscall kCall>
using Spec = uapi::SyscallSpec<kCall>;
template <uapi::Syscall kCall>
using Typed = typename WrapperFor<Spec<kCall>::kNumber, typename Spec<kCall>::Signature>::Type;
template <uapi::Syscall kCall>
using Raw =
    RawCall<Spec<kCall>::kNumber,
            IndexSequence<uapi::SignatureTraits<typename Spec<kCall>::Signature>::kArgCount>>;

}  // namespace syscalls_internal

#define HIILLOS_USER_TYPED_WRAPPER(number, name, ...) \
  inline constexpr syscalls_internal::Typed<uapi::Syscall::k##name> name{};
HIILLOS_SYSCALLS(HIILLOS_USER_TYPED_WRAPPER)
#undef HIILLOS_USER_TYPED_WRAPPER

namespace raw {
#define HIILLOS_USER_RAW_WRAPPER(number, name, ...) \
  inline constexpr syscalls_internal::Raw<uapi::Syscall::k##name> name{};
HIILLOS_SYSCALLS(HIILLOS_USER_RAW_WRAPPER)
#undef HIILLOS_USER_RAW_WRAPPER
}  // namespace raw

}  // namespace hiillos::rt
