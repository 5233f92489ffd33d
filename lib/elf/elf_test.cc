// lib/elf/elf_test.cc — host tests for the ELF64 validator: every error path plus real files.
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <set>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "lib/elf/elf_builder.h"
#include "lib/elf/error.h"
#include "lib/elf/parse.h"

namespace hiillos::elf {
namespace {

Result<Image, Error> ParseBytes(const std::vector<uint8_t>& bytes,
                                const Policy& policy = kKernelPolicy) {
  return Parse(bytes.data(), bytes.size(), policy);
}

#define EXPECT_ELF_ERROR(expr, err)                                            \
  do {                                                                         \
    auto result_ = (expr);                                                     \
    ASSERT_FALSE(result_.ok()) << "expected " << ErrorString(err);             \
    EXPECT_EQ(result_.error(), err)                                            \
        << ErrorString(result_.error()) << " instead of " << ErrorString(err); \
  } while (0)

TEST(ElfParse, AcceptsKernelImage) {
  ElfBuilder b = ElfBuilder::Kernel();
  auto result = ParseBytes(b.Bytes());
  ASSERT_TRUE(result.ok()) << ErrorString(result.error());
  const Image& image = result.value();
  EXPECT_EQ(image.entry(), kBase + 0x10);
  ASSERT_EQ(image.segment_count(), 3u);
  EXPECT_EQ(image.segment(0).vaddr, kBase);
  EXPECT_TRUE(image.segment(0).executable());
  EXPECT_FALSE(image.segment(0).writable());
  EXPECT_EQ(image.segment(2).filesz, 0x80u);
  EXPECT_EQ(image.segment(2).memsz, 0x5000u);
  EXPECT_TRUE(image.segment(2).writable());
  EXPECT_EQ(image.segment(2).offset % kPageSize, 0u);
  EXPECT_EQ(image.page_base(), kBase);
  EXPECT_EQ(image.page_end(), kBase + 0x8000);
  size_t count = 0;
  for (const Segment& s : image) {
    EXPECT_GT(s.memsz, 0u);
    ++count;
  }
  EXPECT_EQ(count, 3u);
}

TEST(ElfParse, AcceptsUserImageAndUnalignedBuffer) {
  ElfBuilder b;
  b.AddLoad(0x400000, 0x100, 0x100, kFlagRead | kFlagExecute);
  b.header().entry = 0x400000;
  std::vector<uint8_t> bytes = b.Bytes();
  std::vector<uint8_t> shifted(bytes.size() + 1);
  memcpy(shifted.data() + 1, bytes.data(), bytes.size());
  auto result = Parse(shifted.data() + 1, bytes.size(), kUserPolicy);
  ASSERT_TRUE(result.ok()) << ErrorString(result.error());
  EXPECT_EQ(result.value().entry(), 0x400000u);
}

TEST(ElfParse, TruncatedHeader) {
  std::vector<uint8_t> bytes = ElfBuilder::Kernel().Bytes();
  EXPECT_ELF_ERROR(Parse(bytes.data(), 0, kKernelPolicy), Error::kTruncatedHeader);
  EXPECT_ELF_ERROR(Parse(bytes.data(), 63, kKernelPolicy), Error::kTruncatedHeader);
  EXPECT_ELF_ERROR(Parse(nullptr, 0, kKernelPolicy), Error::kTruncatedHeader);
}

TEST(ElfParse, EveryTruncationFailsCleanly) {
  std::vector<uint8_t> bytes = ElfBuilder::Kernel().Bytes();
  for (size_t size = 0; size < bytes.size(); ++size) {
    // A fresh heap copy of exactly `size` bytes so ASan catches any read past the end.
    std::vector<uint8_t> prefix(bytes.begin(), bytes.begin() + size);
    auto result = Parse(prefix.data(), prefix.size(), kKernelPolicy);
    // The last segment's data ends at 0x3000 + 0x80 past its file page: anything shorter must fail.
    if (size < bytes.size() - 0x1000 + 0x80) EXPECT_FALSE(result.ok()) << size;
  }
}

TEST(ElfParse, BadMagic) {
  for (int i = 0; i < 4; ++i) {
    ElfBuilder b = ElfBuilder::Kernel();
    b.header().ident[i] ^= 0x20;
    EXPECT_ELF_ERROR(ParseBytes(b.Bytes()), Error::kBadMagic);
  }
}

TEST(ElfParse, NotElf64) {
  ElfBuilder b = ElfBuilder::Kernel();
  b.header().ident[kIdentClass] = 1;  // ELFCLASS32
  EXPECT_ELF_ERROR(ParseBytes(b.Bytes()), Error::kNotElf64);
}

TEST(ElfParse, NotLittleEndian) {
  ElfBuilder b = ElfBuilder::Kernel();
  b.header().ident[kIdentData] = 2;  // ELFDATA2MSB
  EXPECT_ELF_ERROR(ParseBytes(b.Bytes()), Error::kNotLittleEndian);
}

TEST(ElfParse, BadVersion) {
  ElfBuilder a = ElfBuilder::Kernel();
  a.header().ident[kIdentVersion] = 0;
  EXPECT_ELF_ERROR(ParseBytes(a.Bytes()), Error::kBadVersion);
  ElfBuilder b = ElfBuilder::Kernel();
  b.header().version = 2;
  EXPECT_ELF_ERROR(ParseBytes(b.Bytes()), Error::kBadVersion);
}

TEST(ElfParse, WrongMachine) {
  ElfBuilder b = ElfBuilder::Kernel();
  b.header().machine = 3;  // EM_386
  EXPECT_ELF_ERROR(ParseBytes(b.Bytes()), Error::kWrongMachine);
}

TEST(ElfParse, WrongTypeAndDynPolicy) {
  ElfBuilder rel = ElfBuilder::Kernel();
  rel.header().type = 1;  // ET_REL
  EXPECT_ELF_ERROR(ParseBytes(rel.Bytes()), Error::kWrongType);
  ElfBuilder dyn = ElfBuilder::Kernel();
  dyn.header().type = kTypeDyn;
  EXPECT_ELF_ERROR(ParseBytes(dyn.Bytes()), Error::kWrongType);
  Policy allow = kKernelPolicy;
  allow.allow_dyn = true;
  EXPECT_TRUE(ParseBytes(dyn.Bytes(), allow).ok());
  EXPECT_ELF_ERROR(ParseBytes(rel.Bytes(), allow), Error::kWrongType);
}

TEST(ElfParse, BadProgramHeaderSize) {
  ElfBuilder b = ElfBuilder::Kernel();
  b.header().phentsize = 32;
  EXPECT_ELF_ERROR(ParseBytes(b.Bytes()), Error::kBadProgramHeaderSize);
}

TEST(ElfParse, ProgramHeadersOutOfBounds) {
  ElfBuilder past = ElfBuilder::Kernel();
  past.header().phoff = 1 << 20;
  EXPECT_ELF_ERROR(ParseBytes(past.Bytes()), Error::kProgramHeadersOutOfBounds);
  ElfBuilder wrap = ElfBuilder::Kernel();
  wrap.header().phoff = ~0ull - 8;  // phoff + table size wraps around
  EXPECT_ELF_ERROR(ParseBytes(wrap.Bytes()), Error::kProgramHeadersOutOfBounds);
  ElfBuilder many = ElfBuilder::Kernel();
  many.header().phnum = 0xffff;  // table far larger than the file
  EXPECT_ELF_ERROR(ParseBytes(many.Bytes()), Error::kProgramHeadersOutOfBounds);
  // Table ends one byte past the file.
  ElfBuilder tail;
  tail.AddLoad(kBase, 0x10, 0x10, kFlagRead | kFlagExecute);
  tail.header().entry = kBase;
  std::vector<uint8_t> bytes = tail.Bytes();
  uint64_t table_end = sizeof(FileHeader) + sizeof(ProgramHeader);
  EXPECT_ELF_ERROR(Parse(bytes.data(), table_end - 1, kKernelPolicy),
                   Error::kProgramHeadersOutOfBounds);
}

TEST(ElfParse, InterpreterUnsupported) {
  ElfBuilder b = ElfBuilder::Kernel();
  b.AddOther(kSegmentInterp);
  EXPECT_ELF_ERROR(ParseBytes(b.Bytes()), Error::kInterpreterUnsupported);
}

TEST(ElfParse, NoLoadableSegments) {
  ElfBuilder none;
  none.header().entry = kBase;
  EXPECT_ELF_ERROR(ParseBytes(none.Bytes()), Error::kNoLoadableSegments);
  ElfBuilder notes;
  notes.AddOther(4);           // PT_NOTE
  notes.AddOther(0x6474e551);  // PT_GNU_STACK
  notes.header().entry = kBase;
  EXPECT_ELF_ERROR(ParseBytes(notes.Bytes()), Error::kNoLoadableSegments);
  ElfBuilder empty;
  empty.AddLoad(kBase, 0, 0, kFlagRead | kFlagExecute);
  empty.header().entry = kBase;
  EXPECT_ELF_ERROR(ParseBytes(empty.Bytes()), Error::kNoLoadableSegments);
}

TEST(ElfParse, EmptyLoadSegmentIsDroppedButChecked) {
  ElfBuilder b = ElfBuilder::Kernel();
  b.AddLoad(kBase, 0, 0, kFlagRead);  // same address as text, but empty: ignored
  auto result = ParseBytes(b.Bytes());
  ASSERT_TRUE(result.ok()) << ErrorString(result.error());
  EXPECT_EQ(result.value().segment_count(), 3u);
  ElfBuilder bad = ElfBuilder::Kernel();
  bad.AddLoad(kBase, 0x10, 0, kFlagRead);  // filesz > memsz even though memsz == 0
  EXPECT_ELF_ERROR(ParseBytes(bad.Bytes()), Error::kFileSizeExceedsMemorySize);
}

TEST(ElfParse, TooManySegments) {
  ElfBuilder ok;
  for (size_t i = 0; i < kMaxSegments; ++i) {
    ok.AddLoad(kBase + i * kPageSize, 0x10, 0x10, kFlagRead | kFlagExecute);
  }
  ok.header().entry = kBase;
  EXPECT_TRUE(ParseBytes(ok.Bytes()).ok());
  ElfBuilder many;
  for (size_t i = 0; i <= kMaxSegments; ++i) {
    many.AddLoad(kBase + i * kPageSize, 0x10, 0x10, kFlagRead | kFlagExecute);
  }
  many.header().entry = kBase;
  EXPECT_ELF_ERROR(ParseBytes(many.Bytes()), Error::kTooManySegments);
}

TEST(ElfParse, SegmentOutOfBounds) {
  ElfBuilder past = ElfBuilder::Kernel();
  std::vector<uint8_t> bytes = past.Bytes();
  // Last segment's data ends at its offset + 0x80; cut the file one byte short of that.
  uint64_t data_end = past.phdr(2).offset + past.phdr(2).filesz;
  EXPECT_ELF_ERROR(Parse(bytes.data(), data_end - 1, kKernelPolicy), Error::kSegmentOutOfBounds);
  EXPECT_TRUE(Parse(bytes.data(), data_end, kKernelPolicy).ok());
  ElfBuilder wrap = ElfBuilder::Kernel();
  wrap.phdr(1).offset = ~0ull - 0x10;  // offset + filesz wraps around
  wrap.phdr(1).align = 0;
  wrap.KeepOffset(1);
  EXPECT_ELF_ERROR(ParseBytes(wrap.Bytes()), Error::kSegmentOutOfBounds);
}

TEST(ElfParse, FileSizeExceedsMemorySize) {
  ElfBuilder b = ElfBuilder::Kernel();
  b.phdr(1).memsz = b.phdr(1).filesz - 1;
  EXPECT_ELF_ERROR(ParseBytes(b.Bytes()), Error::kFileSizeExceedsMemorySize);
}

TEST(ElfParse, BadAlignment) {
  ElfBuilder npot = ElfBuilder::Kernel();
  npot.phdr(1).align = 0x3000;
  EXPECT_ELF_ERROR(ParseBytes(npot.Bytes()), Error::kBadAlignment);
  // vaddr == offset (mod 2^31) below, so only the size limit (1 GiB) can reject 2 GiB.
  ElfBuilder huge = ElfBuilder::Kernel();
  huge.phdr(1).offset = 0x2000;
  huge.KeepOffset(1);
  huge.phdr(1).align = 1ull << 30;
  EXPECT_TRUE(ParseBytes(huge.Bytes()).ok());
  huge.phdr(1).align = 1ull << 31;
  EXPECT_ELF_ERROR(ParseBytes(huge.Bytes()), Error::kBadAlignment);
  ElfBuilder skew = ElfBuilder::Kernel();
  skew.phdr(1).vaddr += 8;  // offset is computed before: now vaddr != offset (mod align)
  std::vector<uint8_t> bytes = skew.Bytes();
  ProgramHeader ph;
  memcpy(&ph, bytes.data() + sizeof(FileHeader) + sizeof(ProgramHeader), sizeof(ph));
  ph.offset -= 8;
  memcpy(bytes.data() + sizeof(FileHeader) + sizeof(ProgramHeader), &ph, sizeof(ph));
  EXPECT_ELF_ERROR(ParseBytes(bytes), Error::kBadAlignment);
  ElfBuilder none = ElfBuilder::Kernel();  // align 0 and 1 mean "no constraint"
  none.phdr(1).align = 0;
  none.phdr(2).align = 1;
  EXPECT_TRUE(ParseBytes(none.Bytes()).ok());
}

TEST(ElfParse, AddressOverflow) {
  ElfBuilder wrap;
  wrap.AddLoad(0xffff'ffff'ffff'f000ull, 0, 0x2000, kFlagRead);
  wrap.AddLoad(kBase, 0x10, 0x10, kFlagRead | kFlagExecute);
  wrap.header().entry = kBase;
  EXPECT_ELF_ERROR(ParseBytes(wrap.Bytes()), Error::kAddressOverflow);
  ElfBuilder last_page;  // ends inside the last page: the rounded end would be 2^64
  last_page.AddLoad(0xffff'ffff'ffff'e000ull, 0, 0x1800, kFlagRead);
  last_page.AddLoad(kBase, 0x10, 0x10, kFlagRead | kFlagExecute);
  last_page.header().entry = kBase;
  EXPECT_ELF_ERROR(ParseBytes(last_page.Bytes()), Error::kAddressOverflow);
  ElfBuilder below_last;  // ends exactly at the last page: fine
  below_last.AddLoad(0xffff'ffff'ffff'e000ull, 0, 0x1000, kFlagRead);
  below_last.AddLoad(kBase, 0x10, 0x10, kFlagRead | kFlagExecute);
  below_last.header().entry = kBase;
  EXPECT_TRUE(ParseBytes(below_last.Bytes()).ok());
}

TEST(ElfParse, AddressOutOfRange) {
  ElfBuilder low;  // user address under the kernel policy
  low.AddLoad(0x400000, 0x10, 0x10, kFlagRead | kFlagExecute);
  low.header().entry = 0x400000;
  EXPECT_ELF_ERROR(ParseBytes(low.Bytes()), Error::kAddressOutOfRange);
  EXPECT_TRUE(ParseBytes(low.Bytes(), kUserPolicy).ok());
  // Kernel under the user policy.
  EXPECT_ELF_ERROR(ParseBytes(ElfBuilder::Kernel().Bytes(), kUserPolicy),
                   Error::kAddressOutOfRange);
  ElfBuilder just_below;  // higher half, but below the -mcmodel=kernel window
  just_below.AddLoad(kBase - kPageSize, 0x10, 0x10, kFlagRead | kFlagExecute);
  just_below.header().entry = kBase - kPageSize;
  EXPECT_ELF_ERROR(ParseBytes(just_below.Bytes()), Error::kAddressOutOfRange);
  ElfBuilder null_page;  // user page 0
  null_page.AddLoad(0x10, 0x10, 0x10, kFlagRead | kFlagExecute);
  null_page.header().entry = 0x10;
  EXPECT_ELF_ERROR(ParseBytes(null_page.Bytes(), kUserPolicy), Error::kAddressOutOfRange);
  ElfBuilder straddle;  // user segment running into the higher half
  straddle.AddLoad(0x0000'7fff'ffff'f000ull, 0, 0x2000, kFlagRead);
  straddle.AddLoad(0x400000, 0x10, 0x10, kFlagRead | kFlagExecute);
  straddle.header().entry = 0x400000;
  EXPECT_ELF_ERROR(ParseBytes(straddle.Bytes(), kUserPolicy), Error::kAddressOutOfRange);
  ElfBuilder top;  // last user page is allowed
  top.AddLoad(0x0000'7fff'ffff'f000ull, 0, 0x1000, kFlagRead);
  top.AddLoad(0x400000, 0x10, 0x10, kFlagRead | kFlagExecute);
  top.header().entry = 0x400000;
  EXPECT_TRUE(ParseBytes(top.Bytes(), kUserPolicy).ok());
}

TEST(ElfParse, OverlappingSegments) {
  ElfBuilder same_page;  // different bytes, same 4 KiB page
  same_page.AddLoad(kBase, 0x100, 0x100, kFlagRead | kFlagExecute);
  same_page.AddLoad(kBase + 0x800, 0x100, 0x100, kFlagRead);
  same_page.header().entry = kBase;
  EXPECT_ELF_ERROR(ParseBytes(same_page.Bytes()), Error::kOverlappingSegments);
  ElfBuilder contained;  // bss of the first covers the second
  contained.AddLoad(kBase, 0x100, 0x10000, kFlagRead | kFlagWrite);
  contained.AddLoad(kBase + 0x4000, 0x100, 0x100, kFlagRead | kFlagExecute);
  contained.header().entry = kBase + 0x4000;
  EXPECT_ELF_ERROR(ParseBytes(contained.Bytes()), Error::kOverlappingSegments);
  ElfBuilder adjacent;  // touching pages are fine
  adjacent.AddLoad(kBase, 0x1000, 0x1000, kFlagRead | kFlagExecute);
  adjacent.AddLoad(kBase + 0x1000, 0x10, 0x10, kFlagRead);
  adjacent.header().entry = kBase;
  EXPECT_TRUE(ParseBytes(adjacent.Bytes()).ok());
}

TEST(ElfParse, WriteAndExecute) {
  ElfBuilder b = ElfBuilder::Kernel();
  b.phdr(0).flags = kFlagRead | kFlagWrite | kFlagExecute;
  EXPECT_ELF_ERROR(ParseBytes(b.Bytes()), Error::kWriteAndExecute);
  ElfBuilder wx = ElfBuilder::Kernel();  // W|X without R too
  wx.phdr(2).flags = kFlagWrite | kFlagExecute;
  EXPECT_ELF_ERROR(ParseBytes(wx.Bytes()), Error::kWriteAndExecute);
}

TEST(ElfParse, EntryNotExecutable) {
  ElfBuilder data = ElfBuilder::Kernel();
  data.header().entry = kBase + 0x3000;  // in the RW segment
  EXPECT_ELF_ERROR(ParseBytes(data.Bytes()), Error::kEntryNotExecutable);
  ElfBuilder outside = ElfBuilder::Kernel();
  outside.header().entry = kBase + 0x1800;  // one past the end of text
  EXPECT_ELF_ERROR(ParseBytes(outside.Bytes()), Error::kEntryNotExecutable);
  ElfBuilder last = ElfBuilder::Kernel();
  last.header().entry = kBase + 0x17ff;  // last byte of text
  EXPECT_TRUE(ParseBytes(last.Bytes()).ok());
  ElfBuilder zero = ElfBuilder::Kernel();
  zero.header().entry = 0;
  EXPECT_ELF_ERROR(ParseBytes(zero.Bytes()), Error::kEntryNotExecutable);
}

TEST(ElfParse, FlagsBeyondRwxAreMasked) {
  ElfBuilder b = ElfBuilder::Kernel();
  b.phdr(1).flags = kFlagRead | 0x0ff00000;  // PF_MASKOS bits
  auto result = ParseBytes(b.Bytes());
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result.value().segment(1).flags, kFlagRead);
}

TEST(ElfErrorString, EveryErrorHasADistinctMessage) {
  std::set<std::string> seen;
  for (int i = 0; i <= static_cast<int>(Error::kEntryNotExecutable); ++i) {
    const char* message = ErrorString(static_cast<Error>(i));
    ASSERT_NE(message, nullptr);
    EXPECT_STRNE(message, "unknown ELF error") << i;
    EXPECT_TRUE(seen.insert(message).second) << message;
  }
  EXPECT_STREQ(ErrorString(static_cast<Error>(200)), "unknown ELF error");
}

std::vector<uint8_t> ReadFile(const char* path) {
  std::vector<uint8_t> bytes;
  FILE* file = fopen(path, "rb");
  if (file == nullptr) return bytes;
  uint8_t buffer[65536];
  size_t n = 0;
  while ((n = fread(buffer, 1, sizeof(buffer), file)) > 0)
    bytes.insert(bytes.end(), buffer, buffer + n);
  fclose(file);
  return bytes;
}

TEST(ElfRealFiles, HostPieExecutableIsRejectedAsDyn) {
  std::vector<uint8_t> bytes = ReadFile("/bin/true");
  ASSERT_FALSE(bytes.empty()) << "/bin/true not readable";
  EXPECT_ELF_ERROR(ParseBytes(bytes, kUserPolicy), Error::kWrongType);
  Policy dyn = kUserPolicy;
  dyn.allow_dyn = true;
  EXPECT_ELF_ERROR(ParseBytes(bytes, dyn), Error::kInterpreterUnsupported);
}

// ELF_TEST_STATIC_EXEC names testdata/static_exec linked by the compiler (Bazel sets it; by hand
// see the BUILD file). A real linker output must pass the user policy and fail the kernel one.
TEST(ElfRealFiles, LinkerOutputIsAccepted) {
  const char* path = getenv("ELF_TEST_STATIC_EXEC");
  ASSERT_NE(path, nullptr) << "set ELF_TEST_STATIC_EXEC to the static_exec binary";
  std::vector<uint8_t> bytes = ReadFile(path);
  ASSERT_FALSE(bytes.empty()) << path;
  auto result = ParseBytes(bytes, kUserPolicy);
  ASSERT_TRUE(result.ok()) << ErrorString(result.error());
  bool has_code = false;
  bool has_data = false;
  for (const Segment& s : result.value()) {
    has_code |= s.executable();
    has_data |= s.writable();
    EXPECT_LE(s.offset + s.filesz, bytes.size());
  }
  EXPECT_TRUE(has_code);
  EXPECT_TRUE(has_data);
  EXPECT_ELF_ERROR(ParseBytes(bytes, kKernelPolicy), Error::kAddressOutOfRange);
}

}  // namespace
}  // namespace hiillos::elf
