// lib/ustar/test_archive.h — hosted helpers for the ustar tests: build archives, re-seal headers.
#pragma once

#include <stdint.h>

#include <string>
#include <vector>

#include "lib/ustar/archive.h"
#include "lib/ustar/header.h"

namespace hiillos::ustar::testing {

struct TestEntry {
  std::string path;
  EntryType type = EntryType::kRegular;
  std::string contents;     // regular files
  std::string link_target;  // symlinks
  uint32_t mode = 0644;
};

// Encodes one header; fails the current test if encoding fails.
std::vector<uint8_t> EncodeOrDie(const TestEntry& entry);

// Headers + padded data for every entry, then the two-block end marker.
std::vector<uint8_t> BuildArchive(const std::vector<TestEntry>& entries);

// Recomputes and stores the checksum of the header block at archive[offset].
void Reseal(std::vector<uint8_t>& archive, size_t offset);

// Overwrites a header field (given by its offset inside the block) and re-seals the header.
void PatchField(std::vector<uint8_t>& archive, size_t header_offset, size_t field_offset,
                const std::string& bytes);

}  // namespace hiillos::ustar::testing
