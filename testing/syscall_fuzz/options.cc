// testing/syscall_fuzz/options.cc — command-line parsing.
#include "testing/syscall_fuzz/options.h"

#include <stddef.h>

namespace hiillos::syscall_fuzz {
namespace {

bool ParseNumber(const char* text, size_t length, uint64_t* out) {
  uint64_t base = 10;
  if (length > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
    base = 16;
    text += 2;
    length -= 2;
  }
  if (length == 0) return false;
  uint64_t value = 0;
  for (size_t i = 0; i < length; ++i) {
    char ch = text[i];
    uint64_t digit;
    if (ch >= '0' && ch <= '9') {
      digit = static_cast<uint64_t>(ch - '0');
    } else if (base == 16 && ch >= 'a' && ch <= 'f') {
      digit = static_cast<uint64_t>(ch - 'a' + 10);
    } else if (base == 16 && ch >= 'A' && ch <= 'F') {
      digit = static_cast<uint64_t>(ch - 'A' + 10);
    } else {
      return false;
    }
    if (value > (~uint64_t{0} - digit) / base) return false;  // overflow
    value = value * base + digit;
  }
  *out = value;
  return true;
}

// If the token [token, token + length) is `key=value`, parses value into *out.
void Match(const char* token, size_t length, const char* key, uint64_t* out, bool* bad) {
  size_t k = 0;
  while (key[k] != '\0' && k < length && token[k] == key[k]) ++k;
  if (key[k] != '\0' || k >= length || token[k] != '=') return;
  if (!ParseNumber(token + k + 1, length - k - 1, out)) *bad = true;
}

}  // namespace

Options ParseOptions(const uapi::BootInfo& info, bool* bad) {
  Options options;
  *bad = false;
  const char* line = info.command_line;
  size_t i = 0;
  while (i < uapi::kCommandLineSize && line[i] != '\0') {
    if (line[i] == ' ') {
      ++i;
      continue;
    }
    size_t start = i;
    while (i < uapi::kCommandLineSize && line[i] != '\0' && line[i] != ' ') ++i;
    Match(line + start, i - start, "fuzz.seed", &options.seed, bad);
    Match(line + start, i - start, "fuzz.calls", &options.calls, bad);
    Match(line + start, i - start, "fuzz.threads", &options.threads, bad);
  }
  if (options.threads == 0 || options.threads > kMaxThreads) {
    *bad = true;
    options.threads = Options{}.threads;
  }
  return options;
}

}  // namespace hiillos::syscall_fuzz
