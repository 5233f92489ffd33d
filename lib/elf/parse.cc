// lib/elf/parse.cc — ELF64 header and program header validation.
#include "lib/elf/parse.h"

#include "lib/base/checked.h"
#include "lib/base/utility.h"

namespace hiillos::elf {

namespace {

inline constexpr uint64_t kMaxAlign = 1ull << 30;

Result<FileHeader, Error> CheckFileHeader(const uint8_t* data, uint64_t size,
                                          const Policy& policy) {
  if (size < sizeof(FileHeader)) return Err(Error::kTruncatedHeader);
  FileHeader header;
  __builtin_memcpy(&header, data, sizeof(header));
  for (int i = 0; i < 4; ++i) {
    if (header.ident[i] != kMagic[i]) return Err(Error::kBadMagic);
  }
  if (header.ident[kIdentClass] != kClass64) return Err(Error::kNotElf64);
  if (header.ident[kIdentData] != kDataLittle) return Err(Error::kNotLittleEndian);
  if (header.ident[kIdentVersion] != kVersionCurrent || header.version != kVersionCurrent) {
    return Err(Error::kBadVersion);
  }
  if (header.machine != kMachineX86_64) return Err(Error::kWrongMachine);
  bool type_ok = header.type == kTypeExec || (policy.allow_dyn && header.type == kTypeDyn);
  if (!type_ok) return Err(Error::kWrongType);
  if (header.phentsize != sizeof(ProgramHeader)) return Err(Error::kBadProgramHeaderSize);
  uint64_t table_size = 0;
  if (!CheckedMul<uint64_t>(header.phnum, sizeof(ProgramHeader), &table_size) ||
      !RangeInside(header.phoff, table_size, size)) {
    return Err(Error::kProgramHeadersOutOfBounds);
  }
  return header;
}

Result<Segment, Error> CheckLoadSegment(const ProgramHeader& ph, uint64_t file_size,
                                        const Policy& policy) {
  if (!RangeInside(ph.offset, ph.filesz, file_size)) return Err(Error::kSegmentOutOfBounds);
  if (ph.filesz > ph.memsz) return Err(Error::kFileSizeExceedsMemorySize);
  if ((ph.flags & kFlagWrite) != 0 && (ph.flags & kFlagExecute) != 0) {
    return Err(Error::kWriteAndExecute);
  }
  if (ph.align > 1) {
    if (!IsPowerOfTwo(ph.align) || ph.align > kMaxAlign) return Err(Error::kBadAlignment);
    if ((ph.vaddr & (ph.align - 1)) != (ph.offset & (ph.align - 1))) {
      return Err(Error::kBadAlignment);
    }
  }
  Segment segment{ph.vaddr, ph.memsz, ph.offset, ph.filesz,
                  ph.flags & (kFlagRead | kFlagWrite | kFlagExecute)};
  if (ph.memsz == 0) return segment;  // occupies no memory; the caller drops it
  uint64_t end = 0;
  uint64_t page_end = 0;
  if (!CheckedAdd(ph.vaddr, ph.memsz, &end) || !AlignUp(end, kPageSize, &page_end)) {
    return Err(Error::kAddressOverflow);
  }
  // [page_base, page_end) must lie inside [min_vaddr, max_vaddr]. A segment reaching into the
  // last page of the address space has page_end == 2^64 and was reported as overflow above.
  uint64_t page_base = AlignDown(ph.vaddr, kPageSize);
  if (page_base < policy.min_vaddr || page_end - 1 > policy.max_vaddr) {
    return Err(Error::kAddressOutOfRange);
  }
  return segment;
}

}  // namespace

// Fills an Image; the only writer of Image's private state.
class ImageBuilder {
 public:
  explicit ImageBuilder(Image& image) : image_(image) {}

  Result<void, Error> Add(const Segment& segment) {
    for (const Segment& other : image_) {
      if (RangesOverlap(segment.page_base(), segment.page_end() - segment.page_base(),
                        other.page_base(), other.page_end() - other.page_base())) {
        return Err(Error::kOverlappingSegments);
      }
    }
    if (image_.segment_count_ == kMaxSegments) return Err(Error::kTooManySegments);
    image_.segments_[image_.segment_count_++] = segment;
    return Ok<Error>();
  }

  Result<void, Error> SetEntry(uint64_t entry) {
    if (image_.segment_count_ == 0) return Err(Error::kNoLoadableSegments);
    for (const Segment& segment : image_) {
      if (segment.executable() && entry >= segment.vaddr && entry - segment.vaddr < segment.memsz) {
        image_.entry_ = entry;
        return Ok<Error>();
      }
    }
    return Err(Error::kEntryNotExecutable);
  }

 private:
  Image& image_;
};

uint64_t Image::page_base() const {
  uint64_t base = ~0ull;
  for (const Segment& segment : *this) base = Min(base, segment.page_base());
  return base;
}

uint64_t Image::page_end() const {
  uint64_t end = 0;
  for (const Segment& segment : *this) end = Max(end, segment.page_end());
  return end;
}

Result<Image, Error> Parse(const uint8_t* data, uint64_t size, const Policy& policy) {
  FileHeader header = TRY(CheckFileHeader(data, size, policy));
  Image image;
  ImageBuilder builder(image);
  for (uint64_t i = 0; i < header.phnum; ++i) {
    ProgramHeader ph;
    __builtin_memcpy(&ph, data + header.phoff + i * sizeof(ProgramHeader), sizeof(ph));
    if (ph.type == kSegmentInterp) return Err(Error::kInterpreterUnsupported);
    if (ph.type != kSegmentLoad) continue;
    Segment segment = TRY(CheckLoadSegment(ph, size, policy));
    if (segment.memsz != 0) TRY(builder.Add(segment));
  }
  TRY(builder.SetEntry(header.entry));
  return image;
}

}  // namespace hiillos::elf
