// services/lib/print.cc — Printf: formats into a line buffer and logs complete lines.
#include "services/lib/print.h"

#include <stddef.h>

#include "lib/format/format.h"
#include "services/lib/syscalls.h"
#include "uapi/syscalls.h"

namespace hiillos::rt {
namespace {

uint32_t g_log_handle = 0;  // the process's Log capability (0: none, lines are dropped)

struct LineBuffer {
  char text[uapi::kMaxLogLength];
  size_t length = 0;

  void Flush() {
    if (g_log_handle != 0) (void)Log(g_log_handle, text, length);
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

void SetLogHandle(uint32_t handle) {
  g_log_handle = handle;
}

uint32_t LogHandle() {
  return g_log_handle;
}

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
