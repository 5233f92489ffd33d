// kernel/arch/x86_64/serial.cc — polled 16550 UART driver for COM1 (port 0x3f8).
#include "kernel/arch/x86_64/serial.h"

#include <stdint.h>

#include "lib/x86/port_io.h"

namespace hiillos::arch {
namespace {

constexpr uint16_t kCom1 = 0x3f8;
// 16550 register offsets (PC16550D datasheet).
constexpr uint16_t kData = 0, kInterruptEnable = 1, kFifoControl = 2, kLineControl = 3,
                   kModemControl = 4, kLineStatus = 5;
constexpr uint8_t kLineStatusTransmitEmpty = 1 << 5;
constexpr uint8_t kLineControlDlab = 1 << 7;

void PutRaw(char c) {
  for (int spins = 0; spins < 100000; ++spins) {
    if (x86::In8(kCom1 + kLineStatus) & kLineStatusTransmitEmpty) break;
  }
  x86::Out8(kCom1 + kData, static_cast<uint8_t>(c));
}

}  // namespace

void SerialInit() {
  x86::Out8(kCom1 + kInterruptEnable, 0x00);
  x86::Out8(kCom1 + kLineControl, kLineControlDlab);
  x86::Out8(kCom1 + 0, 0x01);  // divisor 1: 115200 baud
  x86::Out8(kCom1 + 1, 0x00);
  x86::Out8(kCom1 + kLineControl, 0x03);   // 8 data bits, no parity, 1 stop bit
  x86::Out8(kCom1 + kFifoControl, 0xc7);   // enable + clear FIFOs, 14-byte threshold
  x86::Out8(kCom1 + kModemControl, 0x03);  // DTR + RTS
}

void SerialWrite(const char* text, size_t length) {
  for (size_t i = 0; i < length; ++i) {
    if (text[i] == '\n') PutRaw('\r');
    PutRaw(text[i]);
  }
}

}  // namespace hiillos::arch
