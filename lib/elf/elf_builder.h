// lib/elf/elf_builder.h — ElfBuilder (tests only): ELF64 executables built in memory, with
// every header field open to tweaking, for the validator's and the load planner's tests.
#pragma once

#include <stdint.h>
#include <string.h>

#include <vector>

#include "lib/elf/elf_format.h"
#include "lib/elf/image.h"

namespace hiillos::elf {

constexpr uint64_t kBase = 0xffff'ffff'8000'0000ull;

// Builds ELF64 images in memory: one file header, a program header table right after it, and
// segment data after that. Tests tweak fields before calling Bytes().
class ElfBuilder {
 public:
  ElfBuilder() {
    memcpy(header_.ident, kMagic, 4);
    header_.ident[kIdentClass] = kClass64;
    header_.ident[kIdentData] = kDataLittle;
    header_.ident[kIdentVersion] = kVersionCurrent;
    header_.type = kTypeExec;
    header_.machine = kMachineX86_64;
    header_.version = kVersionCurrent;
    header_.ehsize = sizeof(FileHeader);
    header_.phentsize = sizeof(ProgramHeader);
    header_.phoff = sizeof(FileHeader);
  }

  // Adds a PT_LOAD whose file data (filesz bytes of `fill`) is appended to the file.
  ProgramHeader& AddLoad(uint64_t vaddr, uint64_t filesz, uint64_t memsz, uint32_t flags) {
    ProgramHeader ph{};
    ph.type = kSegmentLoad;
    ph.flags = flags;
    ph.vaddr = vaddr;
    ph.paddr = vaddr;
    ph.filesz = filesz;
    ph.memsz = memsz;
    ph.align = kPageSize;
    ph.offset = 0;  // fixed up in Bytes()
    phdrs_.push_back(ph);
    auto_offset_.push_back(true);
    return phdrs_.back();
  }
  ProgramHeader& AddOther(uint32_t type) {
    ProgramHeader ph{};
    ph.type = type;
    phdrs_.push_back(ph);
    auto_offset_.push_back(false);
    return phdrs_.back();
  }
  // Keeps a hand-set p_offset for header i instead of the computed one.
  void KeepOffset(size_t i) { auto_offset_[i] = false; }
  FileHeader& header() { return header_; }
  ProgramHeader& phdr(size_t i) { return phdrs_[i]; }

  // Standard kernel: text RX at kBase (entry), rodata R, data+bss RW.
  static ElfBuilder Kernel() {
    ElfBuilder b;
    b.AddLoad(kBase, 0x1800, 0x1800, kFlagRead | kFlagExecute);
    b.AddLoad(kBase + 0x2000, 0x100, 0x100, kFlagRead);
    b.AddLoad(kBase + 0x3000, 0x80, 0x5000, kFlagRead | kFlagWrite);
    b.header().entry = kBase + 0x10;
    return b;
  }

  std::vector<uint8_t> Bytes() {
    if (header_.phnum == 0) header_.phnum = static_cast<uint16_t>(phdrs_.size());
    // File data starts on a page boundary after the headers; each segment's data is placed so
    // that offset == vaddr (mod page size), as linkers do.
    uint64_t cursor =
        0x1000 * ((sizeof(FileHeader) + phdrs_.size() * sizeof(ProgramHeader)) / 0x1000 + 1);
    for (size_t i = 0; i < phdrs_.size(); ++i) {
      if (!auto_offset_[i]) continue;
      ProgramHeader& ph = phdrs_[i];
      ph.offset = cursor + (ph.vaddr & (kPageSize - 1));
      cursor = (ph.offset + ph.filesz + kPageSize - 1) & ~(kPageSize - 1);
    }
    std::vector<uint8_t> out(cursor, 0xcc);
    memcpy(out.data(), &header_, sizeof(header_));
    for (size_t i = 0; i < phdrs_.size(); ++i) {
      size_t at = sizeof(FileHeader) + i * sizeof(ProgramHeader);
      if (at + sizeof(ProgramHeader) > out.size()) out.resize(at + sizeof(ProgramHeader));
      memcpy(out.data() + at, &phdrs_[i], sizeof(ProgramHeader));
    }
    return out;
  }

 private:
  FileHeader header_{};
  std::vector<ProgramHeader> phdrs_;
  std::vector<bool> auto_offset_;
};

}  // namespace hiillos::elf
