// tools/initfs/tar_writer.h — builds the deterministic ustar archive of an initfs.
#pragma once

#include <stdint.h>

#include <string>
#include <vector>

#include "tools/initfs/expected.h"

namespace hiillos::initfs {

struct InputFile {
  std::string dest;  // path inside the archive, e.g. "sbin/init"
  std::vector<uint8_t> contents;
  bool executable = false;  // stored as mode 0755, else 0644
};

// The archive bytes: one entry per file plus an explicit directory entry (0755) for every
// parent directory, all sorted by path (bytewise), with mtime 0, uid/gid 0 and empty owner
// names, then two zero blocks. The same files in any order give the same bytes.
// Fails on invalid, duplicate or overlong destinations, or a file that is also a parent.
Expected<std::vector<uint8_t>> BuildTar(const std::vector<InputFile>& files);

}  // namespace hiillos::initfs
