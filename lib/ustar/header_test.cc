// lib/ustar/header_test.cc — tests for encoding and decoding single ustar header blocks.
#include "lib/ustar/header.h"

#include <gtest/gtest.h>

#include <string.h>

#include <string>
#include <vector>

#include "lib/ustar/octal.h"
#include "lib/ustar/test_archive.h"

namespace hiillos::ustar {
namespace {

using testing::EncodeOrDie;
using testing::PatchField;
using testing::Reseal;
using testing::TestEntry;

std::string Field(const std::vector<uint8_t>& block, size_t offset, size_t width) {
  return std::string(reinterpret_cast<const char*>(block.data()) + offset, width);
}

Result<void, Error> Encode(const TestEntry& entry, uint64_t size = 0) {
  HeaderFields fields;
  fields.path = entry.path.data();
  fields.path_length = entry.path.size();
  fields.type = entry.type;
  fields.mode = entry.mode;
  fields.size = size;
  fields.link_target = entry.link_target.data();
  fields.link_target_length = entry.link_target.size();
  uint8_t block[kBlockSize];
  return EncodeHeader(fields, block);
}

TEST(EncodeHeader, WritesTheExpectedBytes) {
  const std::vector<uint8_t> block = EncodeOrDie({.path = "etc/init.conf", .contents = "abc"});
  EXPECT_EQ(Field(block, 0, 14), std::string("etc/init.conf\0", 14));
  EXPECT_EQ(Field(block, offsetof(RawHeader, mode), 8), std::string("0000644\0", 8));
  EXPECT_EQ(Field(block, offsetof(RawHeader, uid), 8), std::string("0000000\0", 8));
  EXPECT_EQ(Field(block, offsetof(RawHeader, size), 12), std::string("00000000003\0", 12));
  EXPECT_EQ(Field(block, offsetof(RawHeader, mtime), 12), std::string("00000000000\0", 12));
  EXPECT_EQ(block[offsetof(RawHeader, typeflag)], '0');
  EXPECT_EQ(Field(block, offsetof(RawHeader, magic), 8), std::string("ustar\0"
                                                                     "00",
                                                                     8));
  EXPECT_EQ(Field(block, offsetof(RawHeader, uname), 64), std::string(64, '\0'));
  EXPECT_EQ(Field(block, offsetof(RawHeader, checksum) + 6, 2), std::string("\0 ", 2));
  EXPECT_EQ(Field(block, offsetof(RawHeader, pad), 12), std::string(12, '\0'));
  EXPECT_EQ(DecodeHeader(block.data()).value().size, 3u);
}

TEST(EncodeHeader, DirectoriesGetATrailingSlash) {
  const std::vector<uint8_t> block =
      EncodeOrDie({.path = "sbin", .type = EntryType::kDirectory, .mode = 0755});
  EXPECT_EQ(Field(block, 0, 6), std::string("sbin/\0", 6));
  EXPECT_EQ(block[offsetof(RawHeader, typeflag)], '5');
  const Header header = DecodeHeader(block.data()).value();
  EXPECT_STREQ(header.path, "sbin");
  EXPECT_EQ(header.path_length, 4u);
  EXPECT_EQ(header.type, EntryType::kDirectory);
  EXPECT_EQ(header.mode, 0755u);
}

TEST(EncodeHeader, RoundTripsSymlinks) {
  const std::vector<uint8_t> block = EncodeOrDie(
      {.path = "bin/sh", .type = EntryType::kSymlink, .link_target = "/sbin/shell", .mode = 0777});
  const Header header = DecodeHeader(block.data()).value();
  EXPECT_EQ(header.type, EntryType::kSymlink);
  EXPECT_STREQ(header.link_target, "/sbin/shell");
  EXPECT_EQ(header.link_target_length, 11u);
  EXPECT_EQ(header.size, 0u);
}

TEST(EncodeHeader, SplitsLongPathsIntoPrefixAndName) {
  const std::string dir(150, 'd');
  const std::string name(99, 'n');
  const std::string path = dir + "/" + name;  // 250 bytes
  const std::vector<uint8_t> block = EncodeOrDie({.path = path});
  EXPECT_EQ(Field(block, offsetof(RawHeader, prefix), 151), dir + '\0');
  EXPECT_EQ(Field(block, 0, 100), name + '\0');
  const Header header = DecodeHeader(block.data()).value();
  EXPECT_EQ(std::string(header.path, header.path_length), path);
}

TEST(EncodeHeader, LongestPathsFitExactly) {
  const std::string name99(99, 'n');
  EXPECT_TRUE(Encode({.path = name99}).ok());
  EXPECT_EQ(Encode({.path = std::string(100, 'n')}).error(), Error::kNameTooLong);
  const std::string longest = std::string(154, 'p') + "/" + name99;  // 254
  EXPECT_TRUE(Encode({.path = longest}).ok());
  const Header header = DecodeHeader(EncodeOrDie({.path = longest}).data()).value();
  EXPECT_EQ(header.path_length, kMaxPathLength);
  EXPECT_EQ(std::string(header.path), longest);
  // A directory needs one more byte for its '/'.
  EXPECT_TRUE(Encode({.path = std::string(98, 'd'), .type = EntryType::kDirectory}).ok());
  EXPECT_EQ(Encode({.path = std::string(99, 'd'), .type = EntryType::kDirectory}).error(),
            Error::kNameTooLong);
  EXPECT_EQ(Encode({.path = longest, .type = EntryType::kDirectory}).error(), Error::kNameTooLong);
}

TEST(EncodeHeader, RejectsPathsThatCannotBeSplit) {
  // One 150-byte component: no '/' to split at.
  EXPECT_EQ(Encode({.path = std::string(150, 'x')}).error(), Error::kNameTooLong);
  // The only '/' leaves a 100-byte name.
  EXPECT_EQ(Encode({.path = "a/" + std::string(100, 'x')}).error(), Error::kNameTooLong);
  // The only '/' is past the 154-byte prefix limit.
  EXPECT_EQ(Encode({.path = std::string(155, 'p') + "/x"}).error(), Error::kNameTooLong);
  EXPECT_EQ(Encode({.path = std::string(300, 'p')}).error(), Error::kNameTooLong);
}

TEST(EncodeHeader, RejectsInvalidFields) {
  EXPECT_EQ(Encode({.path = ""}).error(), Error::kBadName);
  EXPECT_EQ(Encode({.path = "/etc/x"}).error(), Error::kBadName);
  EXPECT_EQ(Encode({.path = "etc/../x"}).error(), Error::kBadName);
  EXPECT_EQ(Encode({.path = "etc/"}).error(), Error::kBadName);
  EXPECT_EQ(Encode({.path = std::string("a\0b", 3)}).error(), Error::kBadName);
  EXPECT_EQ(Encode({.path = "x", .mode = 010000}).error(), Error::kBadNumber);
  EXPECT_EQ(Encode({.path = "x"}, uint64_t{1} << 33).error(), Error::kBadNumber);  // 8 GiB
  EXPECT_TRUE(Encode({.path = "x"}, (uint64_t{1} << 33) - 1).ok());
  EXPECT_EQ(Encode({.path = "d", .type = EntryType::kDirectory}, 1).error(), Error::kBadSize);
  EXPECT_EQ(Encode({.path = "l", .type = EntryType::kSymlink, .link_target = "t"}, 1).error(),
            Error::kBadSize);
  EXPECT_EQ(Encode({.path = "l", .type = EntryType::kSymlink}).error(), Error::kBadName);
  EXPECT_EQ(Encode({.path = "f", .link_target = "t"}).error(), Error::kBadName);
  EXPECT_EQ(Encode({.path = "l", .type = EntryType::kSymlink, .link_target = std::string(100, 't')})
                .error(),
            Error::kNameTooLong);
  EXPECT_EQ(
      Encode({.path = "l", .type = EntryType::kSymlink, .link_target = std::string("a\0b", 3)})
          .error(),
      Error::kBadName);
  HeaderFields no_path;
  uint8_t block[kBlockSize];
  EXPECT_EQ(EncodeHeader(no_path, block).error(), Error::kBadName);
}

TEST(EncodeHeader, ChecksumUsesUnsignedBytes) {
  // Bytes >= 0x80 would make a signed-char checksum differ.
  const std::vector<uint8_t> block = EncodeOrDie({.path = "caf\xc3\xa9/\xff\xfe"});
  const Header header = DecodeHeader(block.data()).value();
  EXPECT_STREQ(header.path, "caf\xc3\xa9/\xff\xfe");
  // POSIX: the sum of the bytes as unsigned values, the checksum field counted as 8 spaces.
  uint32_t expected = 0;
  for (size_t i = 0; i < kBlockSize; ++i) {
    const bool in_field = i >= offsetof(RawHeader, checksum) && i < offsetof(RawHeader, typeflag);
    expected += in_field ? ' ' : block[i];
  }
  const char* stored = reinterpret_cast<const char*>(block.data()) + offsetof(RawHeader, checksum);
  EXPECT_EQ(ParseOctal(stored, 8).value(), expected);
  const std::vector<uint8_t> ones(kBlockSize, 0xff);
  EXPECT_EQ(ComputeChecksum(ones.data()), 504u * 255u + 8u * ' ');
}

// --- DecodeHeader error paths: each test breaks one thing in a valid header. ---

class DecodeHeaderTest : public ::testing::Test {
 protected:
  std::vector<uint8_t> block_ = EncodeOrDie({.path = "sbin/init", .contents = "", .mode = 0755});

  void Patch(size_t field_offset, const std::string& bytes) {
    PatchField(block_, 0, field_offset, bytes);
  }
  Error Decode() {
    auto result = DecodeHeader(block_.data());
    EXPECT_FALSE(result.ok());
    return result.ok() ? Error::kNotFound : result.error();
  }
};

TEST_F(DecodeHeaderTest, AcceptsTheUnmodifiedHeader) {
  const Header header = DecodeHeader(block_.data()).value();
  EXPECT_STREQ(header.path, "sbin/init");
  EXPECT_EQ(header.type, EntryType::kRegular);
  EXPECT_EQ(header.mode, 0755u);
  EXPECT_EQ(header.uid, 0u);
  EXPECT_EQ(header.mtime, 0u);
  EXPECT_STREQ(header.link_target, "");
}

TEST_F(DecodeHeaderTest, ChecksumMismatch) {
  block_[0] ^= 1;  // not re-sealed
  EXPECT_EQ(Decode(), Error::kBadChecksum);
}

TEST_F(DecodeHeaderTest, ChecksumOffByOne) {
  Patch(0, "s");  // re-sealed, then bump the stored checksum
  char* field = reinterpret_cast<char*>(block_.data()) + offsetof(RawHeader, checksum);
  field[5] = field[5] == '7' ? '6' : static_cast<char>(field[5] + 1);
  EXPECT_EQ(Decode(), Error::kBadChecksum);
}

TEST_F(DecodeHeaderTest, MalformedChecksumField) {
  memcpy(block_.data() + offsetof(RawHeader, checksum), "12x45\0  ", 8);
  EXPECT_EQ(Decode(), Error::kBadNumber);
}

TEST_F(DecodeHeaderTest, AllZeroBlockIsNotAHeader) {
  std::vector<uint8_t> zero(kBlockSize, 0);
  EXPECT_TRUE(IsZeroBlock(zero.data()));
  EXPECT_FALSE(IsZeroBlock(block_.data()));
  EXPECT_FALSE(DecodeHeader(zero.data()).ok());
}

TEST_F(DecodeHeaderTest, GnuMagicIsRejected) {
  Patch(offsetof(RawHeader, magic), std::string("ustar  \0", 8));
  EXPECT_EQ(Decode(), Error::kBadMagic);
}

TEST_F(DecodeHeaderTest, BadVersionIsRejected) {
  Patch(offsetof(RawHeader, version), "01");
  EXPECT_EQ(Decode(), Error::kBadMagic);
}

TEST_F(DecodeHeaderTest, OldStyleRegularTypeIsAccepted) {
  Patch(offsetof(RawHeader, typeflag), std::string(1, '\0'));
  EXPECT_EQ(DecodeHeader(block_.data()).value().type, EntryType::kRegular);
}

TEST_F(DecodeHeaderTest, UnsupportedTypes) {
  for (char type : {'1', '3', '4', '6', '7', 'x', 'g', 'L', 'K', 'A'}) {
    Patch(offsetof(RawHeader, typeflag), std::string(1, type));
    EXPECT_EQ(Decode(), Error::kUnsupportedType) << type;
  }
}

TEST_F(DecodeHeaderTest, NameWithoutNul) {
  Patch(0, std::string(100, 'n'));
  EXPECT_EQ(Decode(), Error::kBadName);
}

TEST_F(DecodeHeaderTest, PrefixWithoutNul) {
  Patch(offsetof(RawHeader, prefix), std::string(155, 'p'));
  EXPECT_EQ(Decode(), Error::kBadName);
}

TEST_F(DecodeHeaderTest, LinkNameWithoutNul) {
  Patch(offsetof(RawHeader, linkname), std::string(100, 'l'));
  EXPECT_EQ(Decode(), Error::kBadName);
}

TEST_F(DecodeHeaderTest, OwnerNamesWithoutNul) {
  Patch(offsetof(RawHeader, uname), std::string(32, 'u'));
  EXPECT_EQ(Decode(), Error::kBadName);
  Patch(offsetof(RawHeader, uname), std::string(32, '\0'));
  Patch(offsetof(RawHeader, gname), std::string(32, 'g'));
  EXPECT_EQ(Decode(), Error::kBadName);
  Patch(offsetof(RawHeader, gname), std::string("root\0", 5));
  EXPECT_TRUE(DecodeHeader(block_.data()).ok());
}

TEST_F(DecodeHeaderTest, EmptyName) {
  Patch(0, std::string(100, '\0'));
  EXPECT_EQ(Decode(), Error::kBadName);
}

TEST_F(DecodeHeaderTest, InvalidPaths) {
  for (const char* path :
       {"/sbin/init", "../init", "sbin/../init", "sbin//init", "./init", "sbin/init/"}) {
    Patch(0, std::string(path) + std::string(100 - strlen(path), '\0'));
    EXPECT_EQ(Decode(), Error::kBadName) << path;
  }
}

TEST_F(DecodeHeaderTest, PrefixJoinedWithName) {
  Patch(0, std::string("init\0\0\0\0\0\0", 10));
  Patch(offsetof(RawHeader, prefix), std::string("sbin\0", 5));
  EXPECT_STREQ(DecodeHeader(block_.data()).value().path, "sbin/init");
  Patch(offsetof(RawHeader, prefix), std::string("/abs\0", 5));  // absolute via the prefix
  EXPECT_EQ(Decode(), Error::kBadName);
  Patch(offsetof(RawHeader, prefix), std::string("..\0\0\0", 5));
  EXPECT_EQ(Decode(), Error::kBadName);
}

TEST_F(DecodeHeaderTest, MalformedNumbers) {
  const size_t fields[] = {offsetof(RawHeader, mode), offsetof(RawHeader, uid),
                           offsetof(RawHeader, gid), offsetof(RawHeader, size),
                           offsetof(RawHeader, mtime)};
  for (size_t field : fields) {
    std::vector<uint8_t> saved = block_;
    Patch(field, "09");
    EXPECT_EQ(Decode(), Error::kBadNumber) << field;
    block_ = saved;
    Patch(field, std::string(8, '\0'));  // empty
    EXPECT_EQ(Decode(), Error::kBadNumber) << field;
    block_ = saved;
  }
}

TEST_F(DecodeHeaderTest, DeviceNumbersMayBeEmptyButNotGarbage) {
  Patch(offsetof(RawHeader, devmajor), std::string(8, '\0'));
  Patch(offsetof(RawHeader, devminor), std::string(8, ' '));
  EXPECT_TRUE(DecodeHeader(block_.data()).ok());
  Patch(offsetof(RawHeader, devmajor), "zz");
  EXPECT_EQ(Decode(), Error::kBadNumber);
  Patch(offsetof(RawHeader, devmajor), std::string(8, '\0'));
  Patch(offsetof(RawHeader, devminor), "1x");
  EXPECT_EQ(Decode(), Error::kBadNumber);
}

TEST_F(DecodeHeaderTest, ModeAbovePermissionBits) {
  Patch(offsetof(RawHeader, mode), std::string("0100755\0", 8));  // S_IFREG | 0755
  EXPECT_EQ(Decode(), Error::kBadNumber);
  Patch(offsetof(RawHeader, mode), std::string("0007777\0", 8));
  EXPECT_EQ(DecodeHeader(block_.data()).value().mode, 07777u);
}

TEST_F(DecodeHeaderTest, DirectoryOrSymlinkWithSize) {
  Patch(offsetof(RawHeader, typeflag), "5");
  EXPECT_TRUE(DecodeHeader(block_.data()).ok());  // size 0
  Patch(offsetof(RawHeader, size), std::string("00000000001\0", 12));
  EXPECT_EQ(Decode(), Error::kBadSize);
  Patch(offsetof(RawHeader, typeflag), "2");
  Patch(offsetof(RawHeader, linkname), std::string("target\0", 7));
  EXPECT_EQ(Decode(), Error::kBadSize);
}

TEST_F(DecodeHeaderTest, LinkTargetOnlyForSymlinks) {
  Patch(offsetof(RawHeader, linkname), std::string("target\0", 7));
  EXPECT_EQ(Decode(), Error::kBadName);  // regular file with a link target
  Patch(offsetof(RawHeader, typeflag), "2");
  EXPECT_STREQ(DecodeHeader(block_.data()).value().link_target, "target");
  Patch(offsetof(RawHeader, linkname), std::string(7, '\0'));
  EXPECT_EQ(Decode(), Error::kBadName);  // symlink without a target
}

TEST_F(DecodeHeaderTest, TrailingSlashOnlyForDirectories) {
  Patch(0, std::string("sbin/\0", 6));
  EXPECT_EQ(Decode(), Error::kBadName);
  Patch(offsetof(RawHeader, typeflag), "5");
  EXPECT_STREQ(DecodeHeader(block_.data()).value().path, "sbin");
  Patch(0, std::string("sbin//\0", 7));
  EXPECT_EQ(Decode(), Error::kBadName);
  Patch(0, std::string("/\0", 2));
  EXPECT_EQ(Decode(), Error::kBadName);
  // A directory stored without the conventional slash is fine too.
  Patch(0, std::string("sbin\0\0\0", 7));
  EXPECT_STREQ(DecodeHeader(block_.data()).value().path, "sbin");
}

TEST(ErrorName, EveryErrorHasAName) {
  for (int e = 0; e <= static_cast<int>(Error::kNotFound); ++e) {
    const std::string name = ErrorName(static_cast<Error>(e));
    EXPECT_FALSE(name.empty());
    EXPECT_NE(name, "unknown error") << e;
  }
  EXPECT_STREQ(ErrorName(static_cast<Error>(200)), "unknown error");
}

}  // namespace
}  // namespace hiillos::ustar
