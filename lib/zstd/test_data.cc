// lib/zstd/test_data.cc — deterministic sample inputs (see test_data.h).
#include "lib/zstd/test_data.h"

#include <stdio.h>
#include <string.h>

#include <algorithm>

namespace hiillos::zstd::testing {
namespace {

// SplitMix64: small, fast, deterministic.
class Random {
 public:
  explicit Random(uint64_t seed) : state_(seed) {}
  uint64_t Next() {
    uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  size_t Below(size_t limit) { return limit == 0 ? 0 : Next() % limit; }

 private:
  uint64_t state_;
};

constexpr const char* kWords[] = {
    "the",     "kernel", "capability", "server",  "thread", "memory", "frame",  "page",
    "of",      "and",    "a",          "to",      "in",     "is",     "root",   "initfs",
    "zstd",    "block",  "sequence",   "literal", "offset", "match",  "window", "huffman",
    "table",   "state",  "process",    "vmem",    "notify", "reply",  "sender", "receiver",
    "hiillos", "boot",   "loader",     "x86_64",  "QEMU",   "OVMF",   "ELF",    "segment"};

void AppendText(std::vector<uint8_t>& out, size_t size, Random& random) {
  const size_t end = out.size() + size;
  size_t line = 0;
  while (out.size() < end) {
    const char* word = kWords[random.Below(sizeof(kWords) / sizeof(kWords[0]))];
    out.insert(out.end(), word, word + strlen(word));
    line += strlen(word) + 1;
    if (line > 60 + random.Below(30)) {
      out.push_back(random.Below(4) == 0 ? '.' : ',');
      out.push_back('\n');
      line = 0;
    } else {
      out.push_back(' ');
    }
  }
  out.resize(end);
}

void AppendRandom(std::vector<uint8_t>& out, size_t size, Random& random) {
  for (size_t i = 0; i < size; ++i) out.push_back(uint8_t(random.Next()));
}

// A random chunk repeated many times at growing distances, with rare edits.
void AppendLongRepeats(std::vector<uint8_t>& out, size_t size, Random& random) {
  const size_t end = out.size() + size;
  std::vector<uint8_t> chunk;
  AppendRandom(chunk, 700 + random.Below(5000), random);
  while (out.size() < end) {
    for (uint8_t byte : chunk) {
      out.push_back(random.Below(997) == 0 ? uint8_t(random.Next()) : byte);
    }
    if (random.Below(3) == 0) AppendRandom(out, random.Below(3000), random);
  }
  out.resize(end);
}

// Runs with periods 1..15 (matches whose offset is shorter than the copy width).
void AppendShortPeriods(std::vector<uint8_t>& out, size_t size, Random& random) {
  const size_t end = out.size() + size;
  while (out.size() < end) {
    const size_t period = 1 + random.Below(15);
    uint8_t pattern[16];
    for (size_t i = 0; i < period; ++i) pattern[i] = uint8_t(random.Next());
    const size_t run = 3 + random.Below(400);
    for (size_t i = 0; i < run; ++i) out.push_back(pattern[i % period]);
  }
  out.resize(end);
}

void AppendBinaryLike(std::vector<uint8_t>& out, size_t size, Random& random) {
  const size_t end = out.size() + size;
  uint32_t value = uint32_t(random.Next());
  while (out.size() < end) {
    switch (random.Below(3)) {
      case 0:  // a table of slowly growing integers
        for (int i = 0; i < 32; ++i) {
          value += uint32_t(random.Below(64));
          for (int b = 0; b < 4; ++b) out.push_back(uint8_t(value >> (8 * b)));
        }
        break;
      case 1: {  // "instructions": a small alphabet with a skewed distribution
        static constexpr uint8_t kOps[] = {0x48, 0x89, 0x8b, 0xe8, 0x0f, 0x85, 0xc3, 0x31, 0xff};
        for (int i = 0; i < 64; ++i) {
          out.push_back(kOps[random.Below(random.Below(2) ? 3 : sizeof(kOps))]);
        }
        break;
      }
      default:
        out.insert(out.end(), random.Below(256), 0);
    }
  }
  out.resize(end);
}

}  // namespace

const char* DataKindName(DataKind kind) {
  switch (kind) {
    case DataKind::kText:
      return "text";
    case DataKind::kZeros:
      return "zeros";
    case DataKind::kRandom:
      return "random";
    case DataKind::kLongRepeats:
      return "long_repeats";
    case DataKind::kShortPeriods:
      return "short_periods";
    case DataKind::kMixed:
      return "mixed";
  }
  return "?";
}

std::vector<uint8_t> MakeData(DataKind kind, size_t size, uint64_t seed) {
  Random random(seed * 131 + uint64_t(kind));
  std::vector<uint8_t> out;
  out.reserve(size);
  switch (kind) {
    case DataKind::kText:
      AppendText(out, size, random);
      break;
    case DataKind::kZeros:
      out.assign(size, 0);
      break;
    case DataKind::kRandom:
      AppendRandom(out, size, random);
      break;
    case DataKind::kLongRepeats:
      AppendLongRepeats(out, size, random);
      break;
    case DataKind::kShortPeriods:
      AppendShortPeriods(out, size, random);
      break;
    case DataKind::kMixed:
      while (out.size() < size) {
        const size_t piece = std::min(size - out.size(), 1 + random.Below(40000));
        switch (random.Below(5)) {
          case 0:
            AppendText(out, piece, random);
            break;
          case 1:
            out.insert(out.end(), piece, uint8_t(random.Next()));
            break;
          case 2:
            AppendRandom(out, piece, random);
            break;
          case 3:
            AppendShortPeriods(out, piece, random);
            break;
          default:
            AppendBinaryLike(out, piece, random);
        }
      }
      break;
  }
  return out;
}

std::vector<uint8_t> MakeTarLike(size_t size, uint64_t seed) {
  Random random(seed);
  std::vector<uint8_t> out;
  out.reserve(size + 65536);
  while (out.size() < size) {
    // Header block: a name, octal-looking fields, zeros.
    std::vector<uint8_t> header(512, 0);
    const int length = snprintf(reinterpret_cast<char*>(header.data()), 100, "sbin/file%zu.%s",
                                size_t(random.Below(1000)), random.Below(2) ? "txt" : "bin");
    (void)length;
    snprintf(reinterpret_cast<char*>(header.data() + 100), 60, "0000755%c0000000%c%011zo", 0, 0,
             size_t(random.Below(1 << 20)));
    memcpy(header.data() + 257,
           "ustar\0"
           "00",
           8);
    out.insert(out.end(), header.begin(), header.end());
    const size_t file_size = 200 + random.Below(200000);
    if (random.Below(2)) {
      AppendText(out, file_size, random);
    } else {
      AppendBinaryLike(out, file_size, random);
    }
    out.resize((out.size() + 511) / 512 * 512, 0);
  }
  out.resize(size);
  return out;
}

}  // namespace hiillos::zstd::testing
