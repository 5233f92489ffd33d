// services/lib/print.cc — Printf: formats into a line buffer and logs complete lines.
#include "services/lib/print.h"

#include <stddef.h>

#include "lib/format/format.h"
#include "services/lib/syscalls.h"
#include "uapi/syscalls.h"

namespace hiillos::rt {
namespace {

struct LineBuffer {
  char text[uapi::kMaxLogLength];
  size_t length = 0;

  void Flush() {
    (void)Log(text, length);
    length = 0;
  }
};

void Append(void* context, const char* text, size_t length) {
  auto* line = static_cast<LineBuffer*>(context);
  for (size_t i = 0; i < length; ++i) {
    if (text[i] == '\n') {
      line->Flush();
      continue;
    }
    if (line->length == sizeof(line->text)) line->Flush();
    line->text[line->length++] = text[i];
  }
}

}  // namespace

void VPrintf(const char* fmt, va_list args) {
  LineBuffer line;
  format::VFormat(Append, &line, fmt, args);
  if (line.length > 0) line.Flush();
}

void Printf(const char* fmt, ...) {
  va_list args;
  va_start(args, fmt);
  VPrintf(fmt, args);
  va_end(args);
}

}  // namespace hiillos::rt
