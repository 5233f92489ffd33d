// tools/syscall_reference/code_tables.cc — the Status and ObjectType tables, rendered from the
// X-macro lists in uapi/status.h and uapi/object_type.h (same shape: value, name, reserved, text).
#include <stdint.h>

#include <string>

#include "tools/syscall_reference/reference.h"
#include "uapi/object_type.h"
#include "uapi/status.h"

namespace hiillos::tools {
namespace {

std::string Header(const char* name_column, const char* text_column, const char* today_column) {
  return std::string("| value | ") + name_column + " | " + text_column + " | " + today_column +
         " |\n| --- | --- | --- | --- |\n";
}

std::string Row(int64_t value, const char* name, const char* text, bool reserved) {
  return "| " + std::to_string(value) + " | `" + name + "` | " + text + " | " +
         (reserved ? "no: reserved for a later issue" : "yes") + " |\n";
}

}  // namespace

std::string RenderStatusTable() {
  std::string table = Header("status", "meaning", "returned today");
#define HIILLOS_STATUS_ROW(value, name, reserved, meaning) \
  table += Row(value, #name, meaning, (reserved) != 0);
  HIILLOS_STATUSES(HIILLOS_STATUS_ROW)
#undef HIILLOS_STATUS_ROW
  return table;
}

std::string RenderObjectTypeTable() {
  std::string table = Header("type", "what", "kernel object today");
#define HIILLOS_OBJECT_TYPE_ROW(value, name, reserved, what) \
  table += Row(value, #name, what, (reserved) != 0);
  HIILLOS_OBJECT_TYPES(HIILLOS_OBJECT_TYPE_ROW)
#undef HIILLOS_OBJECT_TYPE_ROW
  return table;
}

}  // namespace hiillos::tools
