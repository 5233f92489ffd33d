// bootloader/qemu_fw_cfg.cc — QEMU fw_cfg over legacy I/O ports (QEMU docs/specs/fw_cfg.rst):
// write a 16-bit selector to 0x510, read the item's bytes from 0x511.
#include "bootloader/qemu_fw_cfg.h"

#include "bootloader/command_line.h"
#include "bootloader/cpu.h"
#include "uapi/boot_info.h"

namespace hiillos::loader {
namespace {

constexpr uint16_t kSelectorPort = 0x510;
constexpr uint16_t kDataPort = 0x511;
constexpr uint16_t kSignatureItem = 0x0000;
constexpr uint16_t kFileDirectoryItem = 0x0019;
constexpr size_t kFileNameSize = 56;

void Select(uint16_t item) {
  asm volatile("outw %0, %1" : : "a"(item), "Nd"(kSelectorPort) : "memory");
}
uint8_t ReadByte() {
  return cpu::In8(kDataPort);
}
uint32_t ReadBigEndian32() {
  uint32_t value = 0;
  for (int i = 0; i < 4; ++i) value = (value << 8) | ReadByte();
  return value;
}
uint16_t ReadBigEndian16() {
  uint16_t high = ReadByte();
  return static_cast<uint16_t>((high << 8) | ReadByte());
}

}  // namespace

// Set by hypervisors; fw_cfg ports mean nothing on bare metal.
bool UnderHypervisor() {
  return (cpu::Cpuid(1).ecx & (1u << 31)) != 0;
}

int64_t ReadFwCfgFile(const char* name, uint8_t* out, size_t capacity) {
  if (!UnderHypervisor()) return -1;
  Select(kSignatureItem);
  const char signature[4] = {'Q', 'E', 'M', 'U'};
  for (char expected : signature) {
    if (ReadByte() != static_cast<uint8_t>(expected)) return -1;
  }
  Select(kFileDirectoryItem);
  uint32_t count = ReadBigEndian32();
  for (uint32_t i = 0; i < count && i < 4096; ++i) {
    uint32_t size = ReadBigEndian32();
    uint16_t item = ReadBigEndian16();
    ReadBigEndian16();  // reserved
    char entry_name[kFileNameSize];
    for (char& c : entry_name) c = static_cast<char>(ReadByte());
    size_t n = 0;
    while (n < kFileNameSize && name[n] != '\0' && entry_name[n] == name[n]) ++n;
    if (n == kFileNameSize || name[n] != '\0' || entry_name[n] != '\0') continue;
    Select(item);
    for (uint32_t b = 0; b < size; ++b) {
      uint8_t byte = ReadByte();
      if (b < capacity) out[b] = byte;
    }
    return size;
  }
  return -1;
}

Result<bool, const char*> CommandLineFromFwCfg(char* out, size_t out_size) {
  uint8_t text[uapi::kCommandLineSize];
  const int64_t size = ReadFwCfgFile("opt/hiillos/cmdline", text, sizeof(text));
  if (size < 0) return false;
  if (static_cast<uint64_t>(size) > sizeof(text)) return Err("longer than 255 bytes");
  auto copied = CopyCommandLine(text, static_cast<uint64_t>(size), out, out_size);
  if (!copied.ok()) return Err(CommandLineErrorString(copied.error()));
  return true;
}

}  // namespace hiillos::loader
