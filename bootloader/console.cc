// bootloader/console.cc — fan-out of loader messages to ConOut and COM1.
#include "bootloader/console.h"

#include <stddef.h>
#include <stdint.h>

#include "bootloader/efi_call.h"
#include "bootloader/serial.h"
#include "lib/format/format.h"

namespace hiillos::loader::console {
namespace {

SIMPLE_TEXT_OUTPUT_INTERFACE* con_out = nullptr;
bool raw_serial = true;

// Device path node header (UEFI spec §10.2); the UART node is Messaging (3), subtype 14.
constexpr uint8_t kPathMessaging = 0x03;
constexpr uint8_t kPathUart = 0x0e;
constexpr uint8_t kPathEnd = 0x7f;

// True when the "ConOut" variable (the console devices the firmware connected) contains a UART
// node, i.e. ConOut text already reaches the serial port.
bool ConOutHasSerial(EFI_SYSTEM_TABLE* st) {
  EFI_GUID global = EFI_GLOBAL_VARIABLE;
  uint8_t path[512];
  UINTN size = sizeof(path);
  EFI_STATUS status = efi::Call(st->RuntimeServices->GetVariable, efi::Wide(L"ConOut"), &global,
                                static_cast<UINT32*>(nullptr), &size, static_cast<void*>(path));
  if (EFI_ERROR(status)) return false;
  for (size_t at = 0; at + 4 <= size;) {
    uint8_t type = path[at];
    uint8_t subtype = path[at + 1];
    size_t length = path[at + 2] | (static_cast<size_t>(path[at + 3]) << 8);
    if (type == kPathMessaging && subtype == kPathUart) return true;
    if (length < 4) break;  // malformed: stop
    if (type == kPathEnd && subtype == 0xff) break;
    at += length;
  }
  return false;
}

void WriteConOut(const char* text, size_t length) {
  CHAR16 chunk[130];
  size_t used = 0;
  for (size_t i = 0; i < length; ++i) {
    if (text[i] == '\n') chunk[used++] = '\r';
    chunk[used++] = static_cast<uint8_t>(text[i]);
    if (used >= 128 || i + 1 == length) {
      chunk[used] = 0;
      efi::Call(con_out->OutputString, con_out, chunk);
      used = 0;
    }
  }
}

void Sink(void*, const char* text, size_t length) {
  if (con_out != nullptr) WriteConOut(text, length);
  if (raw_serial) serial::Write(text, length);
}

}  // namespace

void Init(EFI_SYSTEM_TABLE* system_table) {
  con_out = system_table->ConOut;
  raw_serial = !ConOutHasSerial(system_table);
}

void DetachFirmware() {
  con_out = nullptr;
  raw_serial = true;
}

void VPrint(const char* fmt, va_list args) {
  format::VFormat(Sink, nullptr, fmt, args);
}

void Print(const char* fmt, ...) {
  va_list args;
  va_start(args, fmt);
  VPrint(fmt, args);
  va_end(args);
}

}  // namespace hiillos::loader::console
