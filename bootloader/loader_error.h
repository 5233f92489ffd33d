// bootloader/loader_error.h — how loader steps fail: an EFI_STATUS, reported once where it happens.
#pragma once

#include "bootloader/uefi.h"
#include "lib/base/result.h"

namespace hiillos::loader {

template <typename T>
using EfiResult = Result<T, EFI_STATUS>;

// Prints "hiillos loader: error: <message> (<status>)" on screen and serial and returns the
// status as an error, so failing steps read `return Fail(EFI_NOT_FOUND, "...", ...);`.
Err<EFI_STATUS> Fail(EFI_STATUS status, const char* fmt, ...) __attribute__((format(printf, 2, 3)));

// The UEFI spec's name for a status ("EFI_NOT_FOUND"), or "EFI error" for unknown values.
const char* StatusName(EFI_STATUS status);

}  // namespace hiillos::loader
