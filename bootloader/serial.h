// bootloader/serial.h — polled output to the COM1 16550 UART (port 0x3f8, 115200 8N1).
#pragma once

#include <stddef.h>

namespace hiillos::loader::serial {

// Programs the UART (once); Write() calls it on first use.
void Init();
// Writes bytes, turning "\n" into "\r\n". Gives up on a byte after a bounded wait, so a missing
// or stuck UART never hangs the loader.
void Write(const char* text, size_t length);

}  // namespace hiillos::loader::serial
