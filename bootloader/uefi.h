// bootloader/uefi.h — GNU-EFI's headers for C++ (they have no extern "C" of their own).
#pragma once

extern "C" {
#include <efi.h>
}

static_assert(sizeof(wchar_t) == sizeof(CHAR16), "build with -fshort-wchar");

namespace hiillos::loader::efi {

// L"..." literals as the CHAR16* that firmware interfaces take (not modified by them).
inline CHAR16* Wide(const wchar_t* text) {
  return reinterpret_cast<CHAR16*>(const_cast<wchar_t*>(text));
}

}  // namespace hiillos::loader::efi
