// tools/syscall_reference/code_tables.cc — the Status and ObjectType tables, rendered from the
// X-macro lists in uapi/status.h and uapi/object_type.h.
#include <string>

#include "tools/syscall_reference/reference.h"
#include "uapi/object_type.h"
#include "uapi/status.h"

namespace hiillos::tools {

std::string RenderStatusTable() {
  std::string table =
      "| value | status | meaning | returned today |\n"
      "| --- | --- | --- | --- |\n";
#define HIILLOS_STATUS_ROW(value, name, reserved, meaning)                                     \
  table += "| " + std::to_string(value) + " | `" #name "` | " + std::string(meaning) + " | " + \
           ((reserved) ? "no: reserved for a later issue" : "yes") + " |\n";
  HIILLOS_STATUSES(HIILLOS_STATUS_ROW)
#undef HIILLOS_STATUS_ROW
  return table;
}

std::string RenderObjectTypeTable() {
  std::string table =
      "| value | type | what | kernel object today |\n"
      "| --- | --- | --- | --- |\n";
#define HIILLOS_OBJECT_TYPE_ROW(value, name, reserved, what)                                \
  table += "| " + std::to_string(value) + " | `" #name "` | " + std::string(what) + " | " + \
           ((reserved) ? "no: reserved for a later issue" : "yes") + " |\n";
  HIILLOS_OBJECT_TYPES(HIILLOS_OBJECT_TYPE_ROW)
#undef HIILLOS_OBJECT_TYPE_ROW
  return table;
}

}  // namespace hiillos::tools
