// tools/syscall_reference/main.cc — prints docs/syscalls.md's generated call table; with
// --update, rewrites the section between the markers of docs/syscalls.md in the workspace.
//   bazel run //tools/syscall_reference -- --update
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>

#include "tools/syscall_reference/reference.h"

int main(int argc, char** argv) {
  using namespace hiillos::tools;
  const std::string table = RenderSyscallTable();
  if (argc < 2 || std::strcmp(argv[1], "--update") != 0) {
    std::fputs(table.c_str(), stdout);
    return 0;
  }
  const char* workspace = std::getenv("BUILD_WORKSPACE_DIRECTORY");
  if (workspace == nullptr) {
    std::fputs("--update needs `bazel run` (BUILD_WORKSPACE_DIRECTORY)\n", stderr);
    return 2;
  }
  const std::string path = std::string(workspace) + "/docs/syscalls.md";
  std::ifstream in(path);
  std::stringstream buffer;
  buffer << in.rdbuf();
  std::string document = buffer.str();
  size_t begin = document.find(kBeginMarker);
  size_t end = begin == std::string::npos ? begin : document.find(kEndMarker, begin);
  if (end == std::string::npos) {
    std::fprintf(stderr, "%s: generated-section markers not found\n", path.c_str());
    return 1;
  }
  begin += sizeof(kBeginMarker) - 1;
  document.replace(begin, end - begin, table);
  std::ofstream(path) << document;
  std::printf("updated %s\n", path.c_str());
  return 0;
}
