// lib/path/normal_path.h — parsing `scheme://path` URLs into normalised absolute paths.
//
// Accepted forms: "fs:///a/b", "initfs:///sbin/init", and "/a/b" (short for "fs:///a/b"). The
// path is normalised lexically: empty and "." components and repeated slashes vanish, ".."
// removes the component before it (Error::kEscapesRoot above the root), a trailing '/' goes.
// The result always starts with '/', has no trailing '/' (except "/" itself) and no ".", ".." or
// empty component; parsing it again gives the same value. Bounded by lib/path/limits.h.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "lib/base/result.h"
#include "lib/path/error.h"
#include "lib/path/limits.h"

namespace hiillos::path {

enum class Scheme : uint8_t {
  kFs,      // "fs://": the file-system namespace vfsd serves
  kInitfs,  // "initfs://": the boot archive
};

const char* SchemeName(Scheme scheme);  // "fs", "initfs"

class NormalPath {
 public:
  // Parses url[0, length). Errors: kEmpty, kInputTooLong, kNulByte, kUnknownScheme,
  // kNotAbsolute, kEscapesRoot, kPathTooLong, kTooManyComponents, kComponentTooLong.
  static Result<NormalPath, Error> Parse(const char* url, size_t length);
  // NUL-terminated; reads at most kMaxInputLength + 1 bytes.
  static Result<NormalPath, Error> Parse(const char* url);

  // The root of a scheme's namespace ("/"); the default is fs:///.
  static NormalPath Root(Scheme scheme);
  NormalPath() = default;

  Scheme scheme() const { return scheme_; }
  const char* path() const { return path_; }  // NUL-terminated
  size_t length() const { return length_; }
  size_t component_count() const { return component_count_; }
  bool IsRoot() const { return length_ == 1; }

  // True when `prefix` (same scheme) is this path or one of its ancestors, component-wise:
  // "/mnt" covers "/mnt" and "/mnt/a" but not "/mnt2".
  bool IsWithin(const NormalPath& prefix) const;

  bool operator==(const NormalPath& other) const;

 private:
  Result<void, Error> AppendNormalised(const char* path, size_t length);

  Scheme scheme_ = Scheme::kFs;
  char path_[kMaxPathLength + 1] = {'/', '\0'};
  size_t length_ = 1;
  size_t component_count_ = 0;
};

}  // namespace hiillos::path
