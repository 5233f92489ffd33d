// tools/initfs/dest_path.cc — checks a DEST path (a path inside the archive) with clear messages.
#include "tools/initfs/dest_path.h"

#include <string_view>

namespace hiillos::initfs {

MaybeFailure CheckDestPath(const std::string& dest) {
  const std::string quoted = "destination '" + dest + "'";
  if (dest.empty()) return Failure{"destination path is empty"};
  for (const char c : dest) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7f) {
      return Failure{"destination contains a control character (NUL, newline, ...)"};
    }
  }
  if (dest.front() == '/') {
    return Failure{quoted + " is absolute; archive paths are relative (e.g. sbin/init)"};
  }
  std::string_view rest = dest;
  while (true) {
    const size_t slash = rest.find('/');
    const std::string_view component = rest.substr(0, slash);
    if (component.empty()) {
      return Failure{quoted + " has an empty component (a doubled or trailing '/')"};
    }
    if (component == "..") return Failure{quoted + " contains a '..' component"};
    if (component == ".") return Failure{quoted + " contains a '.' component"};
    if (slash == std::string_view::npos) break;
    rest.remove_prefix(slash + 1);
  }
  return std::nullopt;
}

}  // namespace hiillos::initfs
