// tools/syscall_reference/main.cc — prints the tables generated from uapi/ (docs/syscalls.md's
// calls and statuses, docs/objects.md's object types); with --update, rewrites them between
// their markers in the workspace's documents.
//   bazel run //tools/syscall_reference -- --update
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>

#include "tools/syscall_reference/reference.h"

namespace {

using namespace hiillos::tools;

int Update(const std::string& workspace) {
  for (const GeneratedTable& table : kGeneratedTables) {
    const std::string path = workspace + "/" + table.document;
    std::ifstream in(path);
    std::stringstream buffer;
    buffer << in.rdbuf();
    std::string document = buffer.str();
    if (!ReplaceSection(&document, table.name, table.render())) {
      std::fprintf(stderr, "%s: markers of \"%s\" not found\n", path.c_str(), table.name);
      return 1;
    }
    std::ofstream(path) << document;
    std::printf("updated \"%s\" in %s\n", table.name, path.c_str());
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc >= 2 && std::strcmp(argv[1], "--update") == 0) {
    const char* workspace = std::getenv("BUILD_WORKSPACE_DIRECTORY");
    if (workspace == nullptr) {
      std::fputs("--update needs `bazel run` (BUILD_WORKSPACE_DIRECTORY)\n", stderr);
      return 2;
    }
    return Update(workspace);
  }
  for (const GeneratedTable& table : kGeneratedTables) {
    std::printf("%s: %s\n%s\n", table.document, table.name, table.render().c_str());
  }
  return 0;
}
