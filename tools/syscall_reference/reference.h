// tools/syscall_reference/reference.h — the tables of docs/syscalls.md and docs/objects.md that
// are rendered from uapi/ (the syscall table, the Status and ObjectType lists), and the markers
// that delimit them in the documents.
#pragma once

#include <string>
#include <vector>

namespace hiillos::tools {

// Every call, its arguments with their kinds, its value and every error it can return (decode
// and perform): a markdown table, each line ending in '\n'.
std::string RenderSyscallTable();
// Every Status code: value, name, meaning, and whether it is reserved for a later issue.
std::string RenderStatusTable();
// Every ObjectType: value, name, what it is, and whether it is implemented or reserved.
std::string RenderObjectTypeTable();

// The argument names of a parameter list as the table spells it: "(Cap<kVmem, Rights::kMap>
// vmem, Word vaddr)" -> {"vmem", "vaddr"}; "()" -> {}.
std::vector<std::string> ArgumentNames(const std::string& parameter_list);

// A generated section: its name in the markers, the document (relative to the workspace) that
// holds it, and what renders it.
struct GeneratedTable {
  const char* name;
  const char* document;
  std::string (*render)();
};
extern const GeneratedTable kGeneratedTables[3];

// "<!-- BEGIN generated: NAME ... -->\n" and "<!-- END generated: NAME -->\n".
std::string BeginMarker(const std::string& name);
std::string EndMarker(const std::string& name);
// The text between section `name`'s markers in `document`; false if they are missing or out of
// order.
bool FindSection(const std::string& document, const std::string& name, std::string* text);
// Replaces section `name`'s text; false (document unchanged) if its markers are missing.
bool ReplaceSection(std::string* document, const std::string& name, const std::string& text);

}  // namespace hiillos::tools
