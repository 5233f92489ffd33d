// services/lib/port_io.h — x86 port I/O from user space (in/out). A thread may use a port only
// after IoPortRangeEnable on a range that holds it; otherwise the instruction raises #GP and
// the thread is killed (docs/objects.md, IoPortRange).
#pragma once

#include <stdint.h>

namespace hiillos::rt {

inline uint8_t InByte(uint16_t port) {
  uint8_t value;
  asm volatile("inb %1, %0" : "=a"(value) : "Nd"(port));
  return value;
}

inline void OutByte(uint16_t port, uint8_t value) {
  asm volatile("outb %0, %1" : : "a"(value), "Nd"(port));
}

}  // namespace hiillos::rt
