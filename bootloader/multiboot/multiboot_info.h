// bootloader/multiboot/multiboot_info.h — reading the Multiboot (0.6.96) information structure
// QEMU's `-kernel` loader hands the shim: the BIOS memory map (E820) and the modules with their
// names. Pure logic over a PhysicalView, every pointer in the structure bounds-checked, so host
// tests and a fuzzer can feed it arbitrary bytes.
#pragma once

#include <stdint.h>

#include "bootloader/memory_map.h"
#include "bootloader/physical_view.h"
#include "lib/base/result.h"
#include "uapi/boot_info.h"

namespace hiillos::loader::multiboot {

inline constexpr uint32_t kBootloaderMagic = 0x2bad'b002;  // EAX at the shim's entry
inline constexpr uint32_t kFlagCommandLine = 1u << 2;
inline constexpr uint32_t kFlagModules = 1u << 3;
inline constexpr uint32_t kFlagMemoryMap = 1u << 6;

inline constexpr uint32_t kMaxModules = 8;
inline constexpr uint32_t kMaxRanges = 128;

struct Module {
  uint64_t start;  // physical
  uint64_t end;    // exclusive
  char name[uapi::kModuleNameSize];
};

struct Info {
  uint32_t module_count = 0;
  Module modules[kMaxModules];
  // The E820 map as loader inputs: usable RAM shrunk to whole pages, everything else as is.
  uint32_t range_count = 0;
  RangeInput ranges[kMaxRanges];
  uint64_t highest_used = 0;  // end of the highest byte of the structure or a module
};

enum class Error : uint8_t {
  kBadMagic,           // EAX was not 0x2badb002
  kInfoOutOfBounds,    // the structure, its map, module list or a string is outside memory
  kNoMemoryMap,        // flags bit 6 clear
  kBadMemoryMapEntry,  // an entry smaller than 20 bytes or running past the map
  kTooManyRanges,      // more than kMaxRanges entries
  kTooManyModules,     // more than kMaxModules
  kBadModule,          // end before start, or data outside memory
  kModuleNameTooLong,  // a name of kModuleNameSize bytes or more
};
const char* ErrorString(Error error);

// Module names: QEMU passes each `-initrd` entry's text ("PATH ARGS") as the module's string;
// the name is the file name of its last space-separated word (ARGS when given, else PATH).
Result<Info, Error> Parse(const PhysicalView& memory, uint32_t magic, uint64_t info_phys);

// The module named `name`, or nullptr.
const Module* FindModule(const Info& info, const char* name);

}  // namespace hiillos::loader::multiboot
