// bootloader/loader_error.cc — error reporting for the loader's steps.
#include "bootloader/loader_error.h"

#include <stdarg.h>

#include "bootloader/console.h"

namespace hiillos::loader {

const char* StatusName(EFI_STATUS status) {
  switch (status) {
    case EFI_SUCCESS:
      return "EFI_SUCCESS";
    case EFI_LOAD_ERROR:
      return "EFI_LOAD_ERROR";
    case EFI_INVALID_PARAMETER:
      return "EFI_INVALID_PARAMETER";
    case EFI_UNSUPPORTED:
      return "EFI_UNSUPPORTED";
    case EFI_BUFFER_TOO_SMALL:
      return "EFI_BUFFER_TOO_SMALL";
    case EFI_DEVICE_ERROR:
      return "EFI_DEVICE_ERROR";
    case EFI_OUT_OF_RESOURCES:
      return "EFI_OUT_OF_RESOURCES";
    case EFI_VOLUME_CORRUPTED:
      return "EFI_VOLUME_CORRUPTED";
    case EFI_NOT_FOUND:
      return "EFI_NOT_FOUND";
    case EFI_ACCESS_DENIED:
      return "EFI_ACCESS_DENIED";
    case EFI_BAD_BUFFER_SIZE:
      return "EFI_BAD_BUFFER_SIZE";
    case EFI_END_OF_FILE:
      return "EFI_END_OF_FILE";
    case EFI_INCOMPATIBLE_VERSION:
      return "EFI_INCOMPATIBLE_VERSION";
    case EFI_COMPROMISED_DATA:
      return "EFI_COMPROMISED_DATA";
    default:
      return "EFI error";
  }
}

Err<EFI_STATUS> Fail(EFI_STATUS status, const char* fmt, ...) {
  console::Print("hiillos loader: error: ");
  va_list args;
  va_start(args, fmt);
  console::VPrint(fmt, args);
  va_end(args);
  console::Print(" (%s)\n", StatusName(status));
  return Err{status};
}

}  // namespace hiillos::loader
