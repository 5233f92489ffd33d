// lib/ustar/archive_test.cc — tests for Archive: validation of whole buffers, iteration, lookup.
#include "lib/ustar/archive.h"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <string.h>

#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "lib/ustar/test_archive.h"

namespace hiillos::ustar {
namespace {

using testing::BuildArchive;
using testing::PatchField;
using testing::TestEntry;

const std::vector<TestEntry> kSample = {
    {.path = "etc", .type = EntryType::kDirectory, .mode = 0755},
    {.path = "etc/init.conf", .contents = "rngd\nvfsd\n"},
    {.path = "etc/empty", .contents = ""},
    {.path = "sbin", .type = EntryType::kDirectory, .mode = 0755},
    {.path = "sbin/init", .contents = std::string(1000, 'x') + "end", .mode = 0755},
    {.path = "sbin/sh", .type = EntryType::kSymlink, .link_target = "init", .mode = 0777},
    {.path = "sbin/block", .contents = std::string(512, 'b')},  // exactly one block
};

std::string Contents(const Entry& entry) {
  return std::string(reinterpret_cast<const char*>(entry.data), entry.size);
}

Error OpenError(const std::vector<uint8_t>& archive) {
  auto result = Archive::Open(archive.data(), archive.size());
  EXPECT_FALSE(result.ok());
  return result.ok() ? Error::kNotFound : result.error();
}

TEST(Archive, IteratesEveryEntryInOrder) {
  const std::vector<uint8_t> bytes = BuildArchive(kSample);
  const Archive archive = Archive::Open(bytes.data(), bytes.size()).value();
  EXPECT_EQ(archive.entry_count(), kSample.size());
  EXPECT_EQ(archive.end_offset(), bytes.size() - kEndMarkerSize);
  size_t i = 0;
  for (const Entry& entry : archive) {
    ASSERT_LT(i, kSample.size());
    const TestEntry& expected = kSample[i++];
    EXPECT_EQ(std::string(entry.path, entry.path_length), expected.path);
    EXPECT_EQ(entry.type, expected.type);
    EXPECT_EQ(entry.mode, expected.mode);
    EXPECT_EQ(std::string(entry.link_target), expected.link_target);
    EXPECT_EQ(Contents(entry), expected.type == EntryType::kRegular ? expected.contents : "");
    EXPECT_GE(entry.data, bytes.data());
    EXPECT_LE(entry.data + entry.size, bytes.data() + bytes.size());
    EXPECT_EQ(entry.next_offset % kBlockSize, 0u);
  }
  EXPECT_EQ(i, kSample.size());
}

TEST(Archive, LooksUpByPath) {
  const std::vector<uint8_t> bytes = BuildArchive(kSample);
  const Archive archive = Archive::Open(bytes.data(), bytes.size()).value();
  const Entry init = archive.Lookup("sbin/init").value();
  EXPECT_EQ(Contents(init), std::string(1000, 'x') + "end");
  EXPECT_EQ(init.mode, 0755u);
  EXPECT_EQ(archive.Lookup("/sbin/init").value().header_offset, init.header_offset);
  EXPECT_EQ(archive.Lookup("/etc/").value().type, EntryType::kDirectory);
  EXPECT_EQ(archive.Lookup("etc/init.conf", 13).value().size, 10u);
  EXPECT_EQ(archive.Lookup("etc/init.conf", 3).value().type, EntryType::kDirectory);  // "etc"
  EXPECT_EQ(archive.Lookup("sbin/sh").value().type, EntryType::kSymlink);
  EXPECT_EQ(archive.Lookup("sbin/ini").error(), Error::kNotFound);
  EXPECT_EQ(archive.Lookup("sbin/init/").value().header_offset, init.header_offset);
  EXPECT_EQ(archive.Lookup("//sbin/init").error(), Error::kNotFound);
  EXPECT_EQ(archive.Lookup("").error(), Error::kNotFound);
  EXPECT_EQ(archive.Lookup("/").error(), Error::kNotFound);
  EXPECT_EQ(archive.Lookup(std::string(10000, 'a').c_str()).error(), Error::kNotFound);
}

TEST(Archive, LongQueriesAreNotTruncatedIntoMatches) {
  const std::string longest = std::string(154, 'p') + "/" + std::string(99, 'n');
  const std::vector<uint8_t> bytes = BuildArchive({{.path = longest, .contents = "z"}});
  const Archive archive = Archive::Open(bytes.data(), bytes.size()).value();
  EXPECT_TRUE(archive.Lookup(longest.c_str()).ok());
  EXPECT_TRUE(archive.Lookup(("/" + longest + "/").c_str()).ok());
  EXPECT_EQ(archive.Lookup(("/" + longest + "/x").c_str()).error(), Error::kNotFound);
  EXPECT_EQ(archive.Lookup((longest + "/x").c_str()).error(), Error::kNotFound);
}

TEST(Archive, EmptyArchiveIsJustTheEndMarker) {
  const std::vector<uint8_t> bytes(kEndMarkerSize, 0);
  const Archive archive = Archive::Open(bytes.data(), bytes.size()).value();
  EXPECT_EQ(archive.entry_count(), 0u);
  EXPECT_TRUE(archive.begin() == archive.end());
  EXPECT_EQ(archive.Lookup("x").error(), Error::kNotFound);
}

TEST(Archive, AcceptsZeroPaddingToARecord) {
  std::vector<uint8_t> bytes = BuildArchive(kSample);
  bytes.resize(20 * 512, 0);  // GNU tar pads to 10 KiB records
  EXPECT_TRUE(Archive::Open(bytes.data(), bytes.size()).ok());
  bytes.push_back(0);  // not block-aligned, but still only zeros
  EXPECT_TRUE(Archive::Open(bytes.data(), bytes.size()).ok());
}

TEST(Archive, RejectsMissingEndMarker) {
  EXPECT_EQ(OpenError({}), Error::kBadEndMarker);
  EXPECT_EQ(Archive::Open(nullptr, 0).error(), Error::kBadEndMarker);
  std::vector<uint8_t> bytes = BuildArchive(kSample);
  bytes.resize(bytes.size() - kEndMarkerSize);  // entries end at the buffer's end
  EXPECT_EQ(OpenError(bytes), Error::kBadEndMarker);
  bytes.resize(bytes.size() + kBlockSize, 0);  // only one zero block
  EXPECT_EQ(OpenError(bytes), Error::kBadEndMarker);
  EXPECT_EQ(OpenError(std::vector<uint8_t>(kBlockSize, 0)), Error::kBadEndMarker);
}

TEST(Archive, RejectsGarbageAfterEndMarker) {
  std::vector<uint8_t> bytes = BuildArchive(kSample);
  bytes.resize(bytes.size() + 4096, 0);
  bytes[bytes.size() - 1] = 1;
  EXPECT_EQ(OpenError(bytes), Error::kBadEndMarker);
  // A header hidden after a single zero block is not an archive member.
  std::vector<uint8_t> hidden = BuildArchive({{.path = "a", .contents = "1"}});
  const std::vector<uint8_t> second = BuildArchive({{.path = "b", .contents = "2"}});
  hidden.resize(hidden.size() - kBlockSize);  // keep one zero block
  hidden.insert(hidden.end(), second.begin(), second.end());
  EXPECT_EQ(OpenError(hidden), Error::kBadEndMarker);
}

TEST(Archive, RejectsPartialBlocks) {
  std::vector<uint8_t> bytes = BuildArchive(kSample);
  bytes.resize(100);  // inside the first header
  EXPECT_EQ(OpenError(bytes), Error::kTruncated);
  EXPECT_EQ(OpenError(std::vector<uint8_t>(511, 0)), Error::kTruncated);
  EXPECT_EQ(Archive::Open(nullptr, 4096).error(), Error::kTruncated);
}

TEST(Archive, RejectsDataPastTheBuffer) {
  std::vector<uint8_t> bytes = BuildArchive({{.path = "f", .contents = "abc"}});
  // Claim 8 GiB - 1 of data.
  PatchField(bytes, 0, offsetof(RawHeader, size), std::string("77777777777\0", 12));
  EXPECT_EQ(OpenError(bytes), Error::kDataOutOfBounds);
  // Claim all 1536 bytes after the header: the data fits, but no end marker is left...
  PatchField(bytes, 0, offsetof(RawHeader, size), std::string("00000003000\0", 12));
  EXPECT_EQ(OpenError(bytes), Error::kBadEndMarker);
  // ...and one byte more overruns the buffer.
  PatchField(bytes, 0, offsetof(RawHeader, size), std::string("00000003001\0", 12));
  EXPECT_EQ(OpenError(bytes), Error::kDataOutOfBounds);
}

TEST(Archive, RejectsDataWhosePaddingIsMissing) {
  // Header + 3 data bytes and nothing else: the data fits, its padding does not.
  std::vector<uint8_t> bytes = BuildArchive({{.path = "f", .contents = "abc"}});
  bytes.resize(kBlockSize + 3);
  EXPECT_EQ(OpenError(bytes), Error::kDataOutOfBounds);
  EXPECT_EQ(DecodeEntryAt(bytes.data(), bytes.size(), 0).error(), Error::kDataOutOfBounds);
}

TEST(Archive, DecodeEntryAtChecksOffsets) {
  const std::vector<uint8_t> bytes = BuildArchive(kSample);
  EXPECT_EQ(DecodeEntryAt(bytes.data(), bytes.size(), ~size_t{0} - 100).error(), Error::kTruncated);
  EXPECT_EQ(DecodeEntryAt(bytes.data(), bytes.size(), bytes.size()).error(), Error::kTruncated);
  // A misaligned offset reads the checksum field from the wrong bytes.
  EXPECT_EQ(DecodeEntryAt(bytes.data(), bytes.size(), 1).error(), Error::kBadNumber);
  EXPECT_STREQ(DecodeEntryAt(bytes.data(), bytes.size(), 0).value().path, "etc");
}

TEST(Archive, RejectsDuplicatePaths) {
  EXPECT_EQ(OpenError(BuildArchive({{.path = "a", .contents = "1"},
                                    {.path = "b", .contents = "2"},
                                    {.path = "a", .contents = "3"}})),
            Error::kDuplicatePath);
  // "etc/" (a directory) and "etc" (a file) name the same path.
  EXPECT_EQ(OpenError(BuildArchive({{.path = "etc", .type = EntryType::kDirectory},
                                    {.path = "etc", .contents = "x"}})),
            Error::kDuplicatePath);
}

TEST(Archive, ReportsTheFirstBadHeader) {
  std::vector<uint8_t> bytes = BuildArchive(kSample);
  // Corrupt the third entry's header ("etc/empty" at block 4: etc, init.conf + data, empty).
  const size_t third = 3 * kBlockSize;
  ASSERT_EQ(std::string(reinterpret_cast<char*>(bytes.data() + third)), "etc/empty");
  bytes[third + 1] ^= 0x20;
  EXPECT_EQ(OpenError(bytes), Error::kBadChecksum);
  bytes[third + 1] ^= 0x20;
  PatchField(bytes, third, offsetof(RawHeader, typeflag), "1");  // hard link
  EXPECT_EQ(OpenError(bytes), Error::kUnsupportedType);
}

// testdata/fuzz_seeds/gnu_tar_ustar.tar was written by
//   tar --format=ustar --owner=0 --group=0 --mtime=@0 --sort=name -b 1 -cf ... d
// with d/a (file "hi\n"), d/l -> a, d/sub/: a real tar writer's output must read back.
TEST(Archive, ReadsGnuTarUstarOutput) {
  const char* path = getenv("USTAR_TEST_GNU_TAR");
  if (path == nullptr) GTEST_SKIP() << "USTAR_TEST_GNU_TAR not set (run under bazel test)";
  std::ifstream in(path, std::ios::binary);
  const std::vector<uint8_t> bytes(std::istreambuf_iterator<char>(in), {});
  ASSERT_FALSE(bytes.empty());
  const Archive archive = Archive::Open(bytes.data(), bytes.size()).value();
  EXPECT_EQ(archive.entry_count(), 4u);
  EXPECT_EQ(archive.Lookup("d").value().type, EntryType::kDirectory);
  EXPECT_EQ(archive.Lookup("d/sub").value().mode, 0755u);
  EXPECT_STREQ(archive.Lookup("d/l").value().link_target, "a");
  const Entry file = archive.Lookup("d/a").value();
  EXPECT_EQ(Contents(file), "hi\n");
  EXPECT_EQ(file.mode, 0644u);
  EXPECT_EQ(file.mtime, 0u);
}

}  // namespace
}  // namespace hiillos::ustar
