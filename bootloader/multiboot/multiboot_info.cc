// bootloader/multiboot/multiboot_info.cc — the Multiboot information parser.
#include "bootloader/multiboot/multiboot_info.h"

namespace hiillos::loader::multiboot {
namespace {

// Offsets in the information structure (Multiboot 0.6.96 §3.3).
constexpr uint64_t kInfoSize = 52;  // through mmap_addr
constexpr uint64_t kFlags = 0;
constexpr uint64_t kModsCount = 20;
constexpr uint64_t kModsAddr = 24;
constexpr uint64_t kMmapLength = 44;
constexpr uint64_t kMmapAddr = 48;
constexpr uint64_t kModEntrySize = 16;
constexpr uint64_t kMmapEntryMin = 20;  // base, length, type after the size field
constexpr uint64_t kMaxStringBytes = 4096;
constexpr uint64_t kPage = 4096;

// E820 types (ACPI 6.5 §15.1).
uapi::MemoryKind KindFromE820(uint32_t type) {
  switch (type) {
    case 1:
      return uapi::MemoryKind::kUsable;
    case 3:
      return uapi::MemoryKind::kAcpiReclaimable;
    case 4:
      return uapi::MemoryKind::kAcpiNvs;
    case 5:
      return uapi::MemoryKind::kUnusable;
    default:
      return uapi::MemoryKind::kReserved;
  }
}

uint64_t Max(uint64_t a, uint64_t b) {
  return a > b ? a : b;
}

// The NUL-terminated string at `phys` (at most kMaxStringBytes); its length, or an error.
Result<uint64_t, Error> StringLength(const PhysicalView& memory, uint64_t phys) {
  for (uint64_t n = 0; n < kMaxStringBytes; ++n) {
    const uint8_t* byte = memory.Bytes(phys + n, 1);
    if (byte == nullptr) break;
    if (*byte == 0) return n;
  }
  return Err(Error::kInfoOutOfBounds);
}

Result<void, Error> ReadMemoryMap(const PhysicalView& memory, const uint8_t* info, Info& out) {
  const uint64_t length = Load32(info + kMmapLength);
  const uint64_t address = Load32(info + kMmapAddr);
  const uint8_t* map = memory.Bytes(address, length);
  if (map == nullptr) return Err(Error::kInfoOutOfBounds);
  out.highest_used = Max(out.highest_used, address + length);
  for (uint64_t at = 0; at < length;) {
    if (length - at < 4) return Err(Error::kBadMemoryMapEntry);
    const uint64_t size = Load32(map + at);
    if (size < kMmapEntryMin || size > length - at - 4) return Err(Error::kBadMemoryMapEntry);
    const uint64_t base = Load64(map + at + 4);
    const uint64_t bytes = Load64(map + at + 12);
    const uapi::MemoryKind kind = KindFromE820(Load32(map + at + 20));
    at += 4 + size;
    if (bytes == 0 || base + bytes < base) continue;  // empty or wrapping: ignored
    uint64_t start = base, end = base + bytes;
    if (kind == uapi::MemoryKind::kUsable) {  // only whole pages are usable
      start = (base + kPage - 1) & ~(kPage - 1);
      end &= ~(kPage - 1);
      if (start < base || end <= start) continue;
    }
    if (out.range_count == kMaxRanges) return Err(Error::kTooManyRanges);
    out.ranges[out.range_count++] = RangeInput{start, end - start, kind};
  }
  return Ok<Error>();
}

Result<void, Error> ReadModules(const PhysicalView& memory, const uint8_t* info, Info& out) {
  const uint64_t count = Load32(info + kModsCount);
  const uint64_t address = Load32(info + kModsAddr);
  if (count > kMaxModules) return Err(Error::kTooManyModules);
  const uint8_t* list = memory.Bytes(address, count * kModEntrySize);
  if (list == nullptr) return Err(Error::kInfoOutOfBounds);
  out.highest_used = Max(out.highest_used, address + count * kModEntrySize);
  for (uint64_t i = 0; i < count; ++i) {
    const uint8_t* entry = list + i * kModEntrySize;
    Module& module = out.modules[out.module_count++];
    module.start = Load32(entry);
    module.end = Load32(entry + 4);
    if (module.end < module.start ||
        memory.Bytes(module.start, module.end - module.start) == nullptr) {
      return Err(Error::kBadModule);
    }
    const uint64_t string = Load32(entry + 8);
    const uint64_t length = TRY(StringLength(memory, string));
    const char* text = reinterpret_cast<const char*>(memory.Bytes(string, length + 1));
    out.highest_used = Max(out.highest_used, Max(module.end, string + length + 1));
    // The last space-separated word, else the file name of the path.
    uint64_t end = length;
    while (end > 0 && text[end - 1] == ' ') --end;
    uint64_t begin = end;
    while (begin > 0 && text[begin - 1] != ' ' && text[begin - 1] != '/') --begin;
    if (end - begin >= uapi::kModuleNameSize) return Err(Error::kModuleNameTooLong);
    for (uint64_t c = begin; c < end; ++c) module.name[c - begin] = text[c];
    module.name[end - begin] = '\0';
  }
  return Ok<Error>();
}

}  // namespace

const char* ErrorString(Error error) {
  switch (error) {
    case Error::kBadMagic:
      return "not started by a Multiboot loader (EAX is not 0x2badb002)";
    case Error::kInfoOutOfBounds:
      return "the Multiboot information points outside memory";
    case Error::kNoMemoryMap:
      return "no memory map in the Multiboot information";
    case Error::kBadMemoryMapEntry:
      return "a malformed memory map entry";
    case Error::kTooManyRanges:
      return "too many memory map entries";
    case Error::kTooManyModules:
      return "too many modules";
    case Error::kBadModule:
      return "a module outside memory or ending before it starts";
    case Error::kModuleNameTooLong:
      return "a module name longer than 31 bytes";
  }
  return "unknown Multiboot error";
}

Result<Info, Error> Parse(const PhysicalView& memory, uint32_t magic, uint64_t info_phys) {
  if (magic != kBootloaderMagic) return Err(Error::kBadMagic);
  const uint8_t* info = memory.Bytes(info_phys, kInfoSize);
  if (info == nullptr) return Err(Error::kInfoOutOfBounds);
  Info out;
  out.highest_used = info_phys + kInfoSize;
  const uint32_t flags = Load32(info + kFlags);
  if ((flags & kFlagMemoryMap) == 0) return Err(Error::kNoMemoryMap);
  TRY(ReadMemoryMap(memory, info, out));
  if ((flags & kFlagModules) != 0) TRY(ReadModules(memory, info, out));
  return out;
}

const Module* FindModule(const Info& info, const char* name) {
  for (uint32_t i = 0; i < info.module_count; ++i) {
    const char* have = info.modules[i].name;
    size_t n = 0;
    while (have[n] != '\0' && have[n] == name[n]) ++n;
    if (have[n] == '\0' && name[n] == '\0') return &info.modules[i];
  }
  return nullptr;
}

}  // namespace hiillos::loader::multiboot
