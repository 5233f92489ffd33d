// lib/fat32/testing/fuzz_seed_writer.cc — fills a tiny empty FAT32 image (mkfs.fat) with a
// directory tree, long names and multi-cluster files using lib/fat32, as a fuzzer seed.
// (mtools refuses FAT32 volumes this small.) Usage: fuzz_seed_writer IN.img OUT.img
#include <stdio.h>

#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "lib/fat32/file_system.h"
#include "lib/fat32/testing/deterministic_bytes.h"
#include "lib/fat32/testing/memory_device.h"

namespace hiillos::fat32 {
namespace {

bool Check(bool ok, const char* what) {
  if (!ok) fprintf(stderr, "fuzz_seed_writer: %s failed\n", what);
  return ok;
}

bool AddFile(FileSystem& fs, const char* path, size_t size, uint32_t seed) {
  auto node = fs.CreateFile(path);
  if (!Check(node.ok(), path)) return false;
  const std::vector<uint8_t> bytes = testing::DeterministicBytes(size, seed);
  return Check(fs.Write(node.value(), 0, bytes.data(), bytes.size()).ok(), path);
}

int Main(int argc, char** argv) {
  if (argc != 3) return 2;
  std::ifstream in(argv[1], std::ios::binary);
  std::vector<uint8_t> image{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  testing::MemoryDevice device(std::move(image));
  testing::FixedClock clock(1700000000);
  auto mounted = FileSystem::Mount(device, clock);
  if (!Check(mounted.ok(), "mount")) return 1;
  FileSystem& fs = mounted.value();
  bool ok = Check(fs.MakeDirectory("/dir").ok(), "mkdir /dir") &&
            Check(fs.MakeDirectory("/dir/sub").ok(), "mkdir /dir/sub") &&
            Check(fs.MakeDirectory("/many").ok(), "mkdir /many") &&
            AddFile(fs, "/README.TXT", 40, 1) && AddFile(fs, "/A long file name.text", 1300, 2) &&
            AddFile(fs, "/dir/sub/p\xC3\xA4iv\xC3\xA4.bin", 2100, 3);
  for (int i = 0; ok && i < 12; ++i) {
    ok = AddFile(fs, ("/many/entry " + std::to_string(i)).c_str(), 10 + i, 4 + i);
  }
  if (!ok) return 1;
  std::ofstream out(argv[2], std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(device.image().data()),
            static_cast<std::streamsize>(device.image().size()));
  return out.good() ? 0 : 1;
}

}  // namespace
}  // namespace hiillos::fat32

int main(int argc, char** argv) {
  return hiillos::fat32::Main(argc, argv);
}
