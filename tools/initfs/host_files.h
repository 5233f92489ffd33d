// tools/initfs/host_files.h — reading input files and writing outputs on the host.
#pragma once

#include <stdint.h>

#include <string>
#include <vector>

#include "tools/initfs/expected.h"
#include "tools/initfs/tar_writer.h"

namespace hiillos::initfs {

// Reads the regular file `src` (symlinks followed) as the archive member `dest`; it is
// executable when any of the host file's execute bits is set.
Expected<InputFile> ReadInputFile(const std::string& dest, const std::string& src);

// Writes `bytes` to `path`, replacing it; on failure nothing usable is left at `path`.
MaybeFailure WriteOutputFile(const std::string& path, const std::vector<uint8_t>& bytes);

}  // namespace hiillos::initfs
