// bootloader/efi_call.h — type-checked calls into UEFI firmware through GNU-EFI's thunks.
//
// We build with the SysV ABI (no GNU_EFI_USE_MS_ABI: Debian's crt0 calls efi_main as SysV), so
// every firmware call must go through gnu-efi's efi_callN thunks, which is what
// uefi_call_wrapper() expands to. That macro counts its arguments with the preprocessor and
// casts each to UINT64 unchecked; Call() reaches the same thunks but first converts every
// argument to the firmware function's declared parameter type, so mistakes fail to compile.
#pragma once

#include "bootloader/uefi.h"

namespace hiillos::loader::efi {

namespace internal {
// Only implicit conversions (unlike static_cast): a wrong argument type does not compile.
template <typename P>
P Implicit(P value) {
  return value;
}
template <typename T>
UINT64 ToWord(T value) {
  if constexpr (__is_pointer(T)) {
    return reinterpret_cast<UINT64>(value);
  } else {
    return static_cast<UINT64>(value);
  }
}
}  // namespace internal

template <typename... Params, typename... Args>
EFI_STATUS Call(EFI_STATUS (*fn)(Params...), Args... args) {
  static_assert(sizeof...(Params) == sizeof...(Args), "wrong number of arguments");
  void* f = reinterpret_cast<void*>(fn);
  // Each argument converted to its parameter type first (implicit conversions only), then
  // widened to a 64-bit word as the thunks expect.
  UINT64 w[] = {internal::ToWord(internal::Implicit<Params>(args))..., 0};
  if constexpr (sizeof...(Args) == 0) return efi_call0(f);
  if constexpr (sizeof...(Args) == 1) return efi_call1(f, w[0]);
  if constexpr (sizeof...(Args) == 2) return efi_call2(f, w[0], w[1]);
  if constexpr (sizeof...(Args) == 3) return efi_call3(f, w[0], w[1], w[2]);
  if constexpr (sizeof...(Args) == 4) return efi_call4(f, w[0], w[1], w[2], w[3]);
  if constexpr (sizeof...(Args) == 5) return efi_call5(f, w[0], w[1], w[2], w[3], w[4]);
  if constexpr (sizeof...(Args) == 6) return efi_call6(f, w[0], w[1], w[2], w[3], w[4], w[5]);
  static_assert(sizeof...(Args) <= 6, "add a case for more arguments");
}

}  // namespace hiillos::loader::efi
