// lib/elf/error.cc — messages for the ELF validator's errors.
#include "lib/elf/error.h"

namespace hiillos::elf {

const char* ErrorString(Error error) {
  switch (error) {
    case Error::kTruncatedHeader:
      return "file smaller than the ELF header";
    case Error::kBadMagic:
      return "not an ELF file (bad magic)";
    case Error::kNotElf64:
      return "not a 64-bit ELF file";
    case Error::kNotLittleEndian:
      return "not a little-endian ELF file";
    case Error::kBadVersion:
      return "unsupported ELF version";
    case Error::kWrongMachine:
      return "not an x86-64 ELF file";
    case Error::kWrongType:
      return "wrong ELF type (not an executable)";
    case Error::kBadProgramHeaderSize:
      return "bad program header entry size";
    case Error::kProgramHeadersOutOfBounds:
      return "program headers outside the file";
    case Error::kInterpreterUnsupported:
      return "dynamically linked (PT_INTERP) executables are not supported";
    case Error::kNoLoadableSegments:
      return "no loadable segments";
    case Error::kTooManySegments:
      return "too many loadable segments";
    case Error::kSegmentOutOfBounds:
      return "segment data outside the file";
    case Error::kFileSizeExceedsMemorySize:
      return "segment file size larger than its memory size";
    case Error::kBadAlignment:
      return "bad segment alignment";
    case Error::kAddressOverflow:
      return "segment address range overflows";
    case Error::kAddressOutOfRange:
      return "segment outside the allowed address range";
    case Error::kOverlappingSegments:
      return "segments overlap";
    case Error::kWriteAndExecute:
      return "segment both writable and executable";
    case Error::kEntryNotExecutable:
      return "entry point not inside an executable segment";
    case Error::kTooManyChunks:
      return "segments too large to load (too many frames)";
  }
  return "unknown ELF error";
}

}  // namespace hiillos::elf
