// lib/elf/image.h — the result of ELF validation: entry point and the checked PT_LOAD segments.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "lib/base/page_size.h"
#include "lib/elf/elf_format.h"

namespace hiillos::elf {

inline constexpr size_t kMaxSegments = 16;

// Which virtual addresses an image may occupy, inclusive on both ends. Segments are checked
// after rounding out to whole pages.
struct Policy {
  uint64_t min_vaddr = 0;
  uint64_t max_vaddr = 0;
  bool allow_dyn = false;  // accept ET_DYN (addresses then relative to a load base)
};

// Kernel: only the top 2 GiB (the -mcmodel=kernel window).
inline constexpr Policy kKernelPolicy{0xffff'ffff'8000'0000ull, 0xffff'ffff'ffff'ffffull, false};
// User: the canonical lower half, never the null page.
inline constexpr Policy kUserPolicy{0x1000ull, 0x0000'7fff'ffff'ffffull, false};

// One validated PT_LOAD: file bytes [offset, offset + filesz) go to [vaddr, vaddr + filesz),
// the rest up to vaddr + memsz is zero. Guaranteed: filesz <= memsz, memsz > 0, the file range
// is inside the file, the page-rounded virtual range is inside the policy and overlaps no other
// segment, and not both writable and executable.
struct Segment {
  uint64_t vaddr;
  uint64_t memsz;
  uint64_t offset;
  uint64_t filesz;
  uint32_t flags;  // kFlagRead | kFlagWrite | kFlagExecute

  bool readable() const { return (flags & kFlagRead) != 0; }
  bool writable() const { return (flags & kFlagWrite) != 0; }
  bool executable() const { return (flags & kFlagExecute) != 0; }
  uint64_t page_base() const { return vaddr & ~(kPageSize - 1); }
  // Page-rounded end; cannot overflow (checked by the validator).
  uint64_t page_end() const { return (vaddr + memsz + kPageSize - 1) & ~(kPageSize - 1); }
};

class Image {
 public:
  uint64_t entry() const { return entry_; }
  size_t segment_count() const { return segment_count_; }
  const Segment& segment(size_t i) const { return segments_[i]; }
  const Segment* begin() const { return segments_; }
  const Segment* end() const { return segments_ + segment_count_; }
  // Lowest page base and highest page end over all segments.
  uint64_t page_base() const;
  uint64_t page_end() const;

 private:
  friend class ImageBuilder;
  uint64_t entry_ = 0;
  size_t segment_count_ = 0;
  Segment segments_[kMaxSegments] = {};
};

}  // namespace hiillos::elf
