// bootloader/command_line.h — turning the optional \hiillos\cmdline.txt into BootInfo's string.
//
// Pure logic without efi.h (host tested).
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "lib/base/result.h"

namespace hiillos::loader {

enum class CommandLineError : uint8_t {
  kTooLong,           // more than out_size - 1 bytes after trimming
  kControlCharacter,  // a byte < 0x20 (other than tab/CR/LF) or 0x7f, e.g. NUL
};
const char* CommandLineErrorString(CommandLineError error);

// Copies the file's text to out (NUL-terminated): leading/trailing spaces, tabs and line breaks
// trimmed, inner tabs and line breaks turned into spaces, so a multi-line file is one line.
// Returns the string length. out_size must be at least 1.
Result<size_t, CommandLineError> CopyCommandLine(const uint8_t* data, uint64_t size, char* out,
                                                 size_t out_size);

}  // namespace hiillos::loader
