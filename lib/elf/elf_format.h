// lib/elf/elf_format.h — ELF64 on-disk structures and constants (System V gABI, x86-64 psABI).
//
// Our own definitions (not <elf.h>) so freestanding code can use them. Only what the validator
// and loaders need is here.
#pragma once

#include <stdint.h>

namespace hiillos::elf {

// e_ident layout (gABI "ELF Identification").
inline constexpr int kIdentSize = 16;
inline constexpr int kIdentClass = 4;
inline constexpr int kIdentData = 5;
inline constexpr int kIdentVersion = 6;
inline constexpr uint8_t kMagic[4] = {0x7f, 'E', 'L', 'F'};
inline constexpr uint8_t kClass64 = 2;         // ELFCLASS64
inline constexpr uint8_t kDataLittle = 1;      // ELFDATA2LSB
inline constexpr uint8_t kVersionCurrent = 1;  // EV_CURRENT

// e_type
inline constexpr uint16_t kTypeExec = 2;  // ET_EXEC
inline constexpr uint16_t kTypeDyn = 3;   // ET_DYN
// e_machine
inline constexpr uint16_t kMachineX86_64 = 62;  // EM_X86_64

// p_type
inline constexpr uint32_t kSegmentLoad = 1;    // PT_LOAD
inline constexpr uint32_t kSegmentInterp = 3;  // PT_INTERP
// p_flags
inline constexpr uint32_t kFlagExecute = 1;  // PF_X
inline constexpr uint32_t kFlagWrite = 2;    // PF_W
inline constexpr uint32_t kFlagRead = 4;     // PF_R

struct FileHeader {  // Elf64_Ehdr
  uint8_t ident[kIdentSize];
  uint16_t type;
  uint16_t machine;
  uint32_t version;
  uint64_t entry;
  uint64_t phoff;
  uint64_t shoff;
  uint32_t flags;
  uint16_t ehsize;
  uint16_t phentsize;
  uint16_t phnum;
  uint16_t shentsize;
  uint16_t shnum;
  uint16_t shstrndx;
};
static_assert(sizeof(FileHeader) == 64);

struct ProgramHeader {  // Elf64_Phdr
  uint32_t type;
  uint32_t flags;
  uint64_t offset;
  uint64_t vaddr;
  uint64_t paddr;
  uint64_t filesz;
  uint64_t memsz;
  uint64_t align;
};
static_assert(sizeof(ProgramHeader) == 56);

}  // namespace hiillos::elf
