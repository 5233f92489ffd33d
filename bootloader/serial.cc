// bootloader/serial.cc — COM1 16550 UART driver (polled, transmit only).
#include "bootloader/serial.h"

#include <stdint.h>

#include "bootloader/cpu.h"

namespace hiillos::loader::serial {
namespace {

// 16550 registers relative to the base port (PC16550D datasheet).
constexpr uint16_t kCom1 = 0x3f8;
constexpr uint16_t kData = 0;          // THR (DLAB=0) / divisor low (DLAB=1)
constexpr uint16_t kInterrupts = 1;    // IER (DLAB=0) / divisor high (DLAB=1)
constexpr uint16_t kFifo = 2;          // FCR
constexpr uint16_t kLineControl = 3;   // LCR
constexpr uint16_t kModemControl = 4;  // MCR
constexpr uint16_t kLineStatus = 5;    // LSR
constexpr uint8_t kLsrTransmitEmpty = 1 << 5;
constexpr int kMaxSpins = 100'000;

bool initialized = false;

void PutByte(uint8_t byte) {
  for (int i = 0; i < kMaxSpins; ++i) {
    if (cpu::In8(kCom1 + kLineStatus) & kLsrTransmitEmpty) break;
  }
  cpu::Out8(kCom1 + kData, byte);
}

}  // namespace

void Init() {
  initialized = true;
  cpu::Out8(kCom1 + kInterrupts, 0x00);   // no UART interrupts
  cpu::Out8(kCom1 + kLineControl, 0x80);  // DLAB on
  cpu::Out8(kCom1 + kData, 0x01);         // divisor 1 = 115200 baud
  cpu::Out8(kCom1 + kInterrupts, 0x00);
  cpu::Out8(kCom1 + kLineControl, 0x03);   // 8 data bits, no parity, 1 stop bit, DLAB off
  cpu::Out8(kCom1 + kFifo, 0xc7);          // FIFO on, cleared, 14-byte threshold
  cpu::Out8(kCom1 + kModemControl, 0x03);  // DTR + RTS
}

void Write(const char* text, size_t length) {
  if (!initialized) Init();
  for (size_t i = 0; i < length; ++i) {
    if (text[i] == '\n') PutByte('\r');
    PutByte(static_cast<uint8_t>(text[i]));
  }
}

}  // namespace hiillos::loader::serial
