// lib/path/limits.h — the bounds every path and mount table in vfsd stays within.
#pragma once

#include <stddef.h>

namespace hiillos::path {

inline constexpr size_t kMaxInputLength = 4096;     // bytes of an unparsed URL or path
inline constexpr size_t kMaxPathLength = 1024;      // bytes of a normalised path ("/a/b")
inline constexpr size_t kMaxComponents = 64;        // components of a normalised path
inline constexpr size_t kMaxComponentLength = 255;  // bytes of one component
inline constexpr size_t kMaxMounts = 32;            // entries of a MountTable

}  // namespace hiillos::path
