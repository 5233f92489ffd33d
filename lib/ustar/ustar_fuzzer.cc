// lib/ustar/ustar_fuzzer.cc — libFuzzer target: Archive::Open, iteration, lookup and re-encoding
// of arbitrary bytes must never crash, and every accepted header must survive a round trip.
#include <stddef.h>
#include <stdint.h>

#include <vector>

#include "lib/ustar/archive.h"
#include "lib/ustar/header.h"
#include "lib/ustar/octal.h"
#include "lib/ustar/path.h"

namespace hiillos::ustar {
namespace {

void Check(bool condition) {
  if (!condition) __builtin_trap();
}

// Re-encodes a decoded header and checks that decoding the result gives the same fields.
void CheckRoundTrip(const Header& header) {
  HeaderFields fields;
  fields.path = header.path;
  fields.path_length = header.path_length;
  fields.type = header.type;
  fields.mode = header.mode;
  fields.size = header.size;
  fields.mtime = header.mtime;
  fields.uid = header.uid;
  fields.gid = header.gid;
  fields.link_target = header.link_target;
  fields.link_target_length = header.link_target_length;
  uint8_t block[kBlockSize];
  auto encoded = EncodeHeader(fields, block);
  if (!encoded.ok()) {
    // The reader accepts numbers that fill a field without a terminator; the writer always
    // leaves room for one. Nothing else may fail.
    Check(encoded.error() == Error::kBadNumber);
    return;
  }
  auto decoded = DecodeHeader(block);
  Check(decoded.ok());
  const Header& again = decoded.value();
  Check(SameBytes(again.path, again.path_length, header.path, header.path_length));
  Check(SameBytes(again.link_target, again.link_target_length, header.link_target,
                  header.link_target_length));
  Check(again.type == header.type && again.mode == header.mode && again.size == header.size);
  Check(again.mtime == header.mtime && again.uid == header.uid && again.gid == header.gid);
}

void FuzzArchive(const uint8_t* data, size_t size) {
  auto opened = Archive::Open(data, size);
  if (!opened.ok()) return;
  const Archive& archive = opened.value();
  size_t count = 0;
  uint32_t sum = 0;
  for (const Entry& entry : archive) {
    ++count;
    Check(entry.data >= data && entry.size <= size - (entry.data - data));
    for (uint64_t i = 0; i < entry.size; ++i) sum += entry.data[i];
    auto found = archive.Lookup(entry.path, entry.path_length);
    Check(found.ok() && found.value().header_offset == entry.header_offset);
    CheckRoundTrip(entry);
  }
  Check(count == archive.entry_count());
  Check(archive.end_offset() <= size);
  (void)sum;
}

// Random mutations almost never keep a checksum valid; a copy with every block's checksum
// recomputed lets the fuzzer reach the checks behind it.
std::vector<uint8_t> Resealed(const uint8_t* data, size_t size) {
  std::vector<uint8_t> copy(data, data + size);
  for (size_t offset = 0; size - offset >= kBlockSize; offset += kBlockSize) {
    uint8_t* block = copy.data() + offset;
    if (IsZeroBlock(block)) continue;
    char* field = reinterpret_cast<char*>(block) + offsetof(RawHeader, checksum);
    if (!EncodeOctal(ComputeChecksum(block), field, 7).ok()) __builtin_trap();
    field[7] = ' ';
  }
  return copy;
}

}  // namespace
}  // namespace hiillos::ustar

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace hiillos::ustar;
  if (size >= kBlockSize) {
    auto header = DecodeHeader(data);
    if (header.ok()) CheckRoundTrip(header.value());
  }
  FuzzArchive(data, size);
  const std::vector<uint8_t> resealed = Resealed(data, size);
  if (resealed.size() >= kBlockSize) {
    auto header = DecodeHeader(resealed.data());
    if (header.ok()) CheckRoundTrip(header.value());
  }
  FuzzArchive(resealed.data(), resealed.size());
  return 0;
}
