// kernel/arch/console.h — the architecture interface for the kernel's console (COM1 on x86-64):
// set up once, then write bytes from any CPU without locks (callers serialise lines).
#pragma once

#include <stddef.h>

#include "kernel/arch/api_concepts.h"
#include "kernel/arch/x86_64/serial.h"

namespace hiillos::arch {

inline void ConsoleInit() {
  SerialInit();
}
inline void ConsoleWrite(const char* text, size_t length) {
  SerialWrite(text, length);
}

}  // namespace hiillos::arch
