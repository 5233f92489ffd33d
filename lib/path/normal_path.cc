// lib/path/normal_path.cc — URL parsing and lexical normalisation of absolute paths.
#include "lib/path/normal_path.h"

namespace hiillos::path {
namespace {

struct SchemeEntry {
  const char* name;
  size_t length;
  Scheme scheme;
};
constexpr SchemeEntry kSchemes[] = {
    {"fs", 2, Scheme::kFs},
    {"initfs", 6, Scheme::kInitfs},
};

bool SameBytes(const char* a, const char* b, size_t length) {
  for (size_t i = 0; i < length; ++i) {
    if (a[i] != b[i]) return false;
  }
  return true;
}

Result<Scheme, Error> LookUpScheme(const char* name, size_t length) {
  for (const SchemeEntry& entry : kSchemes) {
    if (entry.length == length && SameBytes(entry.name, name, length)) return entry.scheme;
  }
  return Err(Error::kUnknownScheme);
}

// Splits "scheme://rest" or "/rest": sets *scheme and *path_start (index of the path).
Result<void, Error> SplitScheme(const char* url, size_t length, Scheme* scheme,
                                size_t* path_start) {
  if (url[0] == '/') {
    *scheme = Scheme::kFs;
    *path_start = 0;
    return Ok<Error>();
  }
  size_t colon = 0;
  while (colon < length && url[colon] != ':' && url[colon] != '/') ++colon;
  if (colon == length || url[colon] != ':' || length - colon < 3 || url[colon + 1] != '/' ||
      url[colon + 2] != '/') {
    return Err(Error::kNotAbsolute);  // a relative path, or "scheme:" without "//"
  }
  *scheme = TRY(LookUpScheme(url, colon));
  *path_start = colon + 3;
  // "fs://" alone names the root; anything else must be an absolute path (no host part).
  if (*path_start < length && url[*path_start] != '/') return Err(Error::kNotAbsolute);
  return Ok<Error>();
}

}  // namespace

const char* SchemeName(Scheme scheme) {
  for (const SchemeEntry& entry : kSchemes) {
    if (entry.scheme == scheme) return entry.name;
  }
  return "?";
}

NormalPath NormalPath::Root(Scheme scheme) {
  NormalPath root;
  root.scheme_ = scheme;
  return root;
}

Result<NormalPath, Error> NormalPath::Parse(const char* url) {
  size_t length = 0;
  while (length <= kMaxInputLength && url[length] != '\0') ++length;
  return Parse(url, length);
}

Result<NormalPath, Error> NormalPath::Parse(const char* url, size_t length) {
  if (length == 0) return Err(Error::kEmpty);
  if (length > kMaxInputLength) return Err(Error::kInputTooLong);
  for (size_t i = 0; i < length; ++i) {
    if (url[i] == '\0') return Err(Error::kNulByte);
  }
  NormalPath result;
  size_t path_start = 0;
  TRY(SplitScheme(url, length, &result.scheme_, &path_start));
  TRY(result.AppendNormalised(url + path_start, length - path_start));
  return result;
}

// Walks the components of `path`; path_[starts[i]] is the '/' before kept component i.
Result<void, Error> NormalPath::AppendNormalised(const char* path, size_t length) {
  size_t starts[kMaxComponents];
  size_t count = 0;
  size_t out = 0;
  size_t position = 0;
  while (position < length) {
    while (position < length && path[position] == '/') ++position;
    const size_t begin = position;
    while (position < length && path[position] != '/') ++position;
    const size_t size = position - begin;
    const char* component = path + begin;
    if (size == 0 || (size == 1 && component[0] == '.')) continue;
    if (size == 2 && component[0] == '.' && component[1] == '.') {
      if (count == 0) return Err(Error::kEscapesRoot);
      out = starts[--count];
      continue;
    }
    if (size > kMaxComponentLength) return Err(Error::kComponentTooLong);
    if (count == kMaxComponents) return Err(Error::kTooManyComponents);
    if (out + 1 + size > kMaxPathLength) return Err(Error::kPathTooLong);
    starts[count++] = out;
    path_[out++] = '/';
    for (size_t i = 0; i < size; ++i) path_[out++] = component[i];
  }
  if (count == 0) path_[out++] = '/';
  path_[out] = '\0';
  length_ = out;
  component_count_ = count;
  return Ok<Error>();
}

bool NormalPath::IsWithin(const NormalPath& prefix) const {
  if (scheme_ != prefix.scheme_) return false;
  if (prefix.IsRoot()) return true;
  if (length_ < prefix.length_ || !SameBytes(path_, prefix.path_, prefix.length_)) return false;
  return length_ == prefix.length_ || path_[prefix.length_] == '/';
}

bool NormalPath::operator==(const NormalPath& other) const {
  return scheme_ == other.scheme_ && length_ == other.length_ &&
         SameBytes(path_, other.path_, length_);
}

}  // namespace hiillos::path
