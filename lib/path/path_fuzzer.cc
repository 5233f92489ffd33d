// lib/path/path_fuzzer.cc — libFuzzer target: any bytes given to NormalPath::Parse either fail
// with an error value or give a path that is normalised (no ".", "..", "//", trailing '/'),
// bounded, equal to a simple reference normalisation, stable when parsed again, and that
// resolves inside the mount that covers it.
#include <stddef.h>
#include <stdint.h>

#include <string>
#include <vector>

#include "lib/path/mount_table.h"
#include "lib/path/normal_path.h"

namespace hiillos::path {
namespace {

void Check(bool condition) {
  if (!condition) __builtin_trap();
}

// The path part of a URL normalised with std::string and std::vector; false when ".." leaves
// the root.
bool ReferenceNormalise(const std::string& path, std::string* out) {
  std::vector<std::string> kept;
  size_t position = 0;
  while (position <= path.size()) {
    size_t slash = path.find('/', position);
    if (slash == std::string::npos) slash = path.size();
    const std::string component = path.substr(position, slash - position);
    position = slash + 1;
    if (component.empty() || component == ".") continue;
    if (component == "..") {
      if (kept.empty()) return false;
      kept.pop_back();
    } else {
      kept.push_back(component);
    }
  }
  out->clear();
  for (const std::string& component : kept) *out += "/" + component;
  if (out->empty()) *out = "/";
  return true;
}

void CheckNormalised(const NormalPath& path) {
  const std::string text(path.path(), path.length());
  Check(text.size() <= kMaxPathLength && !text.empty() && text[0] == '/');
  Check(text.find('\0') == std::string::npos);
  Check(text.find("//") == std::string::npos);
  Check(path.IsRoot() == (text == "/"));
  if (path.IsRoot()) {
    Check(path.component_count() == 0);
    return;
  }
  Check(text.back() != '/');
  size_t components = 0;
  size_t position = 1;
  while (position <= text.size()) {
    size_t slash = text.find('/', position);
    if (slash == std::string::npos) slash = text.size();
    const std::string component = text.substr(position, slash - position);
    Check(!component.empty() && component != "." && component != "..");
    Check(component.size() <= kMaxComponentLength);
    ++components;
    position = slash + 1;
  }
  Check(components == path.component_count() && components <= kMaxComponents);
}

void CheckIdempotent(const NormalPath& path) {
  const std::string url = std::string(SchemeName(path.scheme())) + "://" + path.path();
  auto again = NormalPath::Parse(url.data(), url.size());
  Check(again.ok() && again.value() == path);
  if (path.scheme() == Scheme::kFs) {
    auto short_form = NormalPath::Parse(path.path(), path.length());
    Check(short_form.ok() && short_form.value() == path);
  }
}

void CheckResolution(const NormalPath& path) {
  static const char* const kMountPoints[] = {"/",  "/mnt/disk", "/mnt/disk/cache",
                                             "/a", "initfs://", "initfs:///sbin"};
  MountTable table;
  uint32_t id = 0;
  for (const char* point : kMountPoints)
    Check(table.Mount(NormalPath::Parse(point).value(), id++).ok());
  auto resolved = table.Resolve(path);
  Check(resolved.ok());  // both schemes have a root mount
  const Resolution& resolution = resolved.value();
  const NormalPath& point = *resolution.point;
  Check(path.IsWithin(point));
  for (const char* other : kMountPoints) {
    const NormalPath candidate = NormalPath::Parse(other).value();
    Check(!path.IsWithin(candidate) || candidate.length() <= point.length());
  }
  // The inner path is normalised (nothing above the mount's root) and point + inner == path.
  const std::string inner(resolution.inner, resolution.inner_length);
  auto inner_parsed = NormalPath::Parse(inner.data(), inner.size());
  Check(inner_parsed.ok() && std::string(inner_parsed.value().path()) == inner);
  std::string joined = point.IsRoot() ? inner : std::string(point.path()) + inner;
  if (!point.IsRoot() && inner == "/") joined = point.path();
  Check(joined == std::string(path.path(), path.length()));
  // Mounting at the path itself makes it that mount's root.
  if (table.Mount(path, 100).ok()) {
    auto own = table.Resolve(path);
    Check(own.ok() && own.value().mount_id == 100 && own.value().inner_length == 1);
  }
}

}  // namespace
}  // namespace hiillos::path

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace hiillos::path;
  const char* text = reinterpret_cast<const char*>(data);
  auto parsed = NormalPath::Parse(text, size);
  if (!parsed.ok()) return 0;
  const NormalPath& path = parsed.value();
  CheckNormalised(path);
  CheckIdempotent(path);
  CheckResolution(path);
  // Same answer as the reference normalisation of the path part.
  const std::string input(text, size);
  const size_t separator = input.find("://");
  const std::string path_part =
      input[0] == '/' ? input : input.substr(separator == std::string::npos ? 0 : separator + 3);
  std::string expected;
  Check(ReferenceNormalise(path_part, &expected));
  Check(expected == path.path());
  return 0;
}
