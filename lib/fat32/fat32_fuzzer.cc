// lib/fat32/fat32_fuzzer.cc — libFuzzer target over image bytes: mount, walk the whole tree,
// read every file, then create, write, rename, truncate and delete. Nothing may crash or hang,
// and data written on a volume that accepted it must read back.
#include <stddef.h>
#include <stdint.h>

#include <string>
#include <vector>

#include "lib/fat32/file_system.h"
#include "lib/fat32/testing/memory_device.h"

namespace hiillos::fat32 {
namespace {

void Check(bool condition) {
  if (!condition) __builtin_trap();
}

constexpr int kMaxDepth = 6;
constexpr uint32_t kMaxBytesPerFile = 64 * 1024;

// Lists every directory (bounded depth and entry count: a corrupt tree may contain cycles) and
// reads every file.
void Walk(FileSystem& fs, const Node& directory, int depth, int* budget) {
  auto reader = fs.OpenDirectory(directory);
  if (!reader.ok()) return;
  DirEntry entry;
  uint8_t buffer[4096];
  for (;;) {
    auto more = reader.value().Next(&entry);
    if (!more.ok() || !more.value() || --*budget <= 0) return;
    Check(entry.name_length > 0 && entry.name_length <= kMaxNameBytes);
    const Node node = NodeFromEntry(entry);
    if (node.is_directory()) {
      if (depth < kMaxDepth) Walk(fs, node, depth + 1, budget);
      continue;
    }
    uint64_t offset = 0;
    while (offset < node.size && offset < kMaxBytesPerFile) {
      auto read = fs.Read(node, offset, buffer, sizeof(buffer));
      if (!read.ok()) break;
      Check(read.value() > 0 && read.value() <= sizeof(buffer));
      offset += read.value();
    }
  }
}

void Mutate(FileSystem& fs) {
  std::vector<uint8_t> data(1500);
  for (size_t i = 0; i < data.size(); ++i) data[i] = static_cast<uint8_t>(i * 7);
  auto file = fs.CreateFile("/fuzz written file.bin");
  if (file.ok()) {
    Node node = file.value();
    auto written = fs.Write(node, 100, data.data(), data.size());
    if (written.ok()) {
      std::vector<uint8_t> back(data.size());
      auto read = fs.Read(node, 100, back.data(), back.size());
      if (read.ok()) Check(read.value() == data.size() && back == data);
    }
    (void)fs.Truncate(node, 700);
  }
  (void)fs.MakeDirectory("/fuzzdir");
  (void)fs.Rename("/fuzz written file.bin", "/fuzzdir/moved");
  (void)fs.Unlink("/fuzzdir/moved");
  (void)fs.RemoveDirectory("/fuzzdir");
  // Change the first existing entry too.
  auto root = fs.OpenDirectory(fs.Root());
  if (!root.ok()) return;
  DirEntry entry;
  auto more = root.value().Next(&entry);
  if (!more.ok() || !more.value()) return;
  const std::string path = "/" + std::string(entry.name, entry.name_length);
  auto node = fs.Lookup(path.c_str());
  if (node.ok() && !node.value().is_directory()) {
    Node existing = node.value();
    (void)fs.Write(existing, existing.size, data.data(), 600);
    (void)fs.Truncate(existing, existing.size / 2);
  }
  (void)fs.Rename(path.c_str(), "/renamed by the fuzzer");
  (void)fs.Unlink("/renamed by the fuzzer");
}

}  // namespace
}  // namespace hiillos::fat32

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace hiillos::fat32;
  testing::MemoryDevice device(std::vector<uint8_t>(data, data + size));
  testing::FixedClock clock(1700000000);
  auto mounted = FileSystem::Mount(device, clock);
  if (!mounted.ok()) return 0;
  FileSystem& fs = mounted.value();
  int budget = 2000;
  Walk(fs, fs.Root(), 0, &budget);
  Mutate(fs);
  budget = 2000;
  Walk(fs, fs.Root(), 0, &budget);
  return 0;
}
