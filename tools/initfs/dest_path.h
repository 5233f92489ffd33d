// tools/initfs/dest_path.h — checks a DEST path (a path inside the archive) with clear messages.
#pragma once

#include <string>

#include "tools/initfs/expected.h"

namespace hiillos::initfs {

// Accepts relative paths of non-empty components without "." or "..", free of control
// characters (e.g. "sbin/init"). Whether the path fits a ustar header is checked when the
// header is encoded. The failure message names the path and the problem.
MaybeFailure CheckDestPath(const std::string& dest);

}  // namespace hiillos::initfs
