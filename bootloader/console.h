// bootloader/console.h — loader messages on the firmware console (screen) and on COM1.
//
// While boot services run, text goes to ConOut; it also goes straight to COM1 unless the
// firmware's ConOut already includes a serial terminal (OVMF's does), so serial logs carry each
// line once. After ExitBootServices only COM1 is used.
#pragma once

#include <stdarg.h>

#include "bootloader/uefi.h"

namespace hiillos::loader::console {

void Init(EFI_SYSTEM_TABLE* system_table);
// Call right before ExitBootServices: from then on ConOut is never touched.
void DetachFirmware();

void Print(const char* fmt, ...) __attribute__((format(printf, 1, 2)));
void VPrint(const char* fmt, va_list args);

}  // namespace hiillos::loader::console
