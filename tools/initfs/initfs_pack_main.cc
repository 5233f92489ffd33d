// tools/initfs/initfs_pack_main.cc — entry point of the initfs_pack host tool.
#include <iostream>
#include <string>
#include <vector>

#include "tools/initfs/pack_command.h"

int main(int argc, char** argv) {
  const std::vector<std::string> args(argv + 1, argv + argc);
  return hiillos::initfs::RunPack(args, std::cerr);
}
