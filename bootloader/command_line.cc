// bootloader/command_line.cc — command line file sanitising.
#include "bootloader/command_line.h"

namespace hiillos::loader {
namespace {

bool IsSpace(uint8_t c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

}  // namespace

const char* CommandLineErrorString(CommandLineError error) {
  switch (error) {
    case CommandLineError::kTooLong:
      return "command line too long";
    case CommandLineError::kControlCharacter:
      return "command line contains a control character";
  }
  return "unknown command line error";
}

Result<size_t, CommandLineError> CopyCommandLine(const uint8_t* data, uint64_t size, char* out,
                                                 size_t out_size) {
  uint64_t begin = 0;
  uint64_t end = size;
  while (begin < end && IsSpace(data[begin])) ++begin;
  while (end > begin && IsSpace(data[end - 1])) --end;
  if (end - begin > out_size - 1) return Err(CommandLineError::kTooLong);
  size_t length = 0;
  for (uint64_t i = begin; i < end; ++i) {
    uint8_t c = data[i];
    if (IsSpace(c)) c = ' ';
    if (c < 0x20 || c == 0x7f) return Err(CommandLineError::kControlCharacter);
    out[length++] = static_cast<char>(c);
  }
  out[length] = '\0';
  return length;
}

}  // namespace hiillos::loader
