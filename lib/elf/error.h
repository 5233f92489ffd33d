// lib/elf/error.h — every reason the ELF validator can reject a file, and their messages.
#pragma once

#include <stdint.h>

namespace hiillos::elf {

enum class Error : uint8_t {
  kTruncatedHeader,            // file smaller than the ELF header
  kBadMagic,                   // e_ident does not start with 0x7f 'E' 'L' 'F'
  kNotElf64,                   // EI_CLASS is not ELFCLASS64
  kNotLittleEndian,            // EI_DATA is not ELFDATA2LSB
  kBadVersion,                 // EI_VERSION or e_version is not EV_CURRENT
  kWrongMachine,               // e_machine is not EM_X86_64
  kWrongType,                  // not ET_EXEC (or ET_DYN when the policy allows it)
  kBadProgramHeaderSize,       // e_phentsize is not sizeof(Elf64_Phdr)
  kProgramHeadersOutOfBounds,  // program header table not inside the file
  kInterpreterUnsupported,     // PT_INTERP present: dynamic linking is not supported
  kNoLoadableSegments,  // no PT_LOAD with memsz > 0 (empty PT_LOADs are checked, then dropped)
  kTooManySegments,     // more PT_LOAD than kMaxSegments
  kSegmentOutOfBounds,  // p_offset + p_filesz not inside the file
  kFileSizeExceedsMemorySize,  // p_filesz > p_memsz
  kBadAlignment,               // p_align not a power of two <= 1 GiB, or vaddr != offset mod align
  kAddressOverflow,            // p_vaddr + p_memsz (rounded to pages) wraps around
  kAddressOutOfRange,          // segment outside the policy's [min_vaddr, max_vaddr]
  kOverlappingSegments,        // two PT_LOAD share a virtual page
  kWriteAndExecute,            // a PT_LOAD is both writable and executable
  kEntryNotExecutable,         // e_entry not inside an executable PT_LOAD
  kTooManyChunks,              // (load planning) the segments need more than kMaxLoadChunks frames
};

// A short, static, human-readable description ("program headers outside the file").
const char* ErrorString(Error error);

}  // namespace hiillos::elf
