// tools/syscall_reference/sections.cc — the generated sections of the documents and the markers
// around them.
#include <string>

#include "tools/syscall_reference/reference.h"

namespace hiillos::tools {

const GeneratedTable kGeneratedTables[3] = {
    {"syscalls", "docs/syscalls.md", RenderSyscallTable},
    {"statuses", "docs/syscalls.md", RenderStatusTable},
    {"object types", "docs/objects.md", RenderObjectTypeTable},
};

std::string BeginMarker(const std::string& name) {
  return "<!-- BEGIN generated: " + name +
         " (from uapi/; `bazel run //tools/syscall_reference -- --update`) -->\n";
}

std::string EndMarker(const std::string& name) {
  return "<!-- END generated: " + name + " -->\n";
}

namespace {

// The [begin, end) range of section `name`'s text, or false.
bool SectionRange(const std::string& document, const std::string& name, size_t* begin,
                  size_t* end) {
  const std::string begin_marker = BeginMarker(name);
  size_t start = document.find(begin_marker);
  if (start == std::string::npos) return false;
  start += begin_marker.size();
  size_t stop = document.find(EndMarker(name), start);
  if (stop == std::string::npos) return false;
  *begin = start;
  *end = stop;
  return true;
}

}  // namespace

bool FindSection(const std::string& document, const std::string& name, std::string* text) {
  size_t begin = 0;
  size_t end = 0;
  if (!SectionRange(document, name, &begin, &end)) return false;
  *text = document.substr(begin, end - begin);
  return true;
}

bool ReplaceSection(std::string* document, const std::string& name, const std::string& text) {
  size_t begin = 0;
  size_t end = 0;
  if (!SectionRange(*document, name, &begin, &end)) return false;
  document->replace(begin, end - begin, text);
  return true;
}

}  // namespace hiillos::tools
