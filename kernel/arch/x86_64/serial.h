// kernel/arch/x86_64/serial.h — the COM1 16550 UART used for the kernel log.
#pragma once

#include <stddef.h>

namespace hiillos::arch {

// Programs COM1 for 115200 8N1, FIFOs on, interrupts off. Safe to call again.
void SerialInit();
// Blocking write; "\n" becomes "\r\n".
void SerialWrite(const char* text, size_t length);

}  // namespace hiillos::arch
