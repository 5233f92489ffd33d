// tools/initfs/pack_command.h — the initfs_pack command line: options, then read → tar → zstd.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "tools/initfs/expected.h"
#include "tools/initfs/zstd_compress.h"

namespace hiillos::initfs {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;  // bad input files or destinations, I/O errors
inline constexpr int kExitUsage = 2;    // malformed command line

struct Mapping {
  std::string dest;  // path inside the archive
  std::string src;   // host file
};

struct PackOptions {
  std::string output;             // --output: the .tar.zst to write (required)
  std::string uncompressed;       // --uncompressed: also write the plain .tar (optional)
  int level = kDefaultZstdLevel;  // --level
  std::vector<Mapping> mappings;
  bool help = false;
};

// Parses the arguments after the program name.
Expected<PackOptions> ParsePackArgs(const std::vector<std::string>& args);

// Runs the whole command; messages go to `err`. Returns one of the exit codes above.
int RunPack(const std::vector<std::string>& args, std::ostream& err);

}  // namespace hiillos::initfs
