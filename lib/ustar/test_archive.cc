// lib/ustar/test_archive.cc — hosted helpers for the ustar tests: build archives, reseal headers.
#include "lib/ustar/test_archive.h"

#include <gtest/gtest.h>
#include <string.h>

#include "lib/ustar/octal.h"

namespace hiillos::ustar::testing {

std::vector<uint8_t> EncodeOrDie(const TestEntry& entry) {
  HeaderFields fields;
  fields.path = entry.path.data();
  fields.path_length = entry.path.size();
  fields.type = entry.type;
  fields.mode = entry.mode;
  fields.size = entry.type == EntryType::kRegular ? entry.contents.size() : 0;
  fields.link_target = entry.link_target.data();
  fields.link_target_length = entry.link_target.size();
  std::vector<uint8_t> block(kBlockSize, 0xAA);
  auto result = EncodeHeader(fields, block.data());
  EXPECT_TRUE(result.ok()) << entry.path << ": " << ErrorName(result.error());
  return block;
}

std::vector<uint8_t> BuildArchive(const std::vector<TestEntry>& entries) {
  std::vector<uint8_t> archive;
  for (const TestEntry& entry : entries) {
    const std::vector<uint8_t> header = EncodeOrDie(entry);
    archive.insert(archive.end(), header.begin(), header.end());
    if (entry.type == EntryType::kRegular) {
      archive.insert(archive.end(), entry.contents.begin(), entry.contents.end());
      archive.resize((archive.size() + kBlockSize - 1) / kBlockSize * kBlockSize, 0);
    }
  }
  archive.resize(archive.size() + kEndMarkerSize, 0);
  return archive;
}

void Reseal(std::vector<uint8_t>& archive, size_t offset) {
  uint8_t* block = archive.data() + offset;
  char* field = reinterpret_cast<char*>(block) + offsetof(RawHeader, checksum);
  ASSERT_TRUE(EncodeOctal(ComputeChecksum(block), field, 7).ok());
  field[7] = ' ';
}

void PatchField(std::vector<uint8_t>& archive, size_t header_offset, size_t field_offset,
                const std::string& bytes) {
  memcpy(archive.data() + header_offset + field_offset, bytes.data(), bytes.size());
  Reseal(archive, header_offset);
}

}  // namespace hiillos::ustar::testing
