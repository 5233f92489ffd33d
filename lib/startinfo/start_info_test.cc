// lib/startinfo/start_info_test.cc — decoding: a typical block's contents, and every kind of
// corruption (header fields, tables, strings, truncation, bit flips) giving its error.
#include "lib/startinfo/start_info.h"

#include <gtest/gtest.h>

#include <string>

#include "lib/startinfo/builder.h"
#include "lib/startinfo/test_block.h"

namespace hiillos::startinfo {
namespace {

std::string S(Text text) {
  return std::string(text.data, text.length);
}

Error DecodeError(const std::vector<uint8_t>& block) {
  auto result = StartInfo::Decode(block.data(), block.size());
  EXPECT_FALSE(result.ok());
  return result.ok() ? Error::kNoRoom : result.error();
}

void Store(std::vector<uint8_t>& block, size_t offset, size_t width, uint64_t value) {
  StoreLittleEndian(block.data() + offset, width, value);
}
uint32_t Load(const std::vector<uint8_t>& block, size_t offset) {
  return static_cast<uint32_t>(LoadLittleEndian(block.data() + offset, 4));
}

// Offsets of the typical block's tables: 4 strings (2 args, 2 env), then 4 capabilities.
constexpr size_t kFirstEnvEntry = StringTableOffset() + 2 * sizeof(StartInfoString);
constexpr size_t kFirstCapEntry = CapTableOffset(2, 2);
constexpr size_t kStrings = StringsOffset(2, 2, 4);

TEST(StartInfoTest, DecodesTheTypicalBlock) {
  const std::vector<uint8_t> block = TypicalBlock();
  auto decoded = StartInfo::Decode(block.data(), block.size());
  ASSERT_TRUE(decoded.ok()) << ErrorName(decoded.error());
  const StartInfo& info = decoded.value();
  EXPECT_EQ(info.pid(), 7u);
  EXPECT_EQ(info.size(), block.size());
  ASSERT_EQ(info.arg_count(), 2u);
  EXPECT_EQ(S(info.Arg(0)), "/sbin/init");
  EXPECT_STREQ(info.Arg(1).data, "--verbose");  // usable as a C string
  ASSERT_EQ(info.env_count(), 2u);
  EXPECT_EQ(S(info.Env(1)), "EMPTY=");
  ASSERT_EQ(info.cap_count(), 4u);
  EXPECT_EQ(S(info.Cap(2).name), "proc");
  EXPECT_EQ(info.Cap(2).handle, 5u);
  EXPECT_EQ(info.FindCap(T("vm")), 4u);
  EXPECT_EQ(info.FindCap(T("log")), 9u);
  EXPECT_EQ(info.FindCap(T("lo")), 0u);
  EXPECT_EQ(info.FindCap(T("rng")), 0u);
  Text value;
  ASSERT_TRUE(info.FindEnv(T("HOME"), &value));
  EXPECT_EQ(S(value), "/");
  ASSERT_TRUE(info.FindEnv(T("EMPTY"), &value));
  EXPECT_EQ(S(value), "");
  EXPECT_FALSE(info.FindEnv(T("HOM"), &value));
  EXPECT_FALSE(info.FindEnv(T("PATH"), &value));
}

TEST(StartInfoTest, ExtraBytesAfterTheBlockAreIgnored) {
  std::vector<uint8_t> page = TypicalBlock();
  const size_t size = page.size();
  page.resize(kMaxBlockSize, 0xAA);
  auto decoded = StartInfo::Decode(page.data(), page.size());
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(decoded.value().size(), size);
}

TEST(StartInfoTest, EveryTruncationIsTooSmall) {
  const std::vector<uint8_t> block = TypicalBlock();
  for (size_t size = 0; size < block.size(); ++size) {
    auto decoded = StartInfo::Decode(block.data(), size);
    ASSERT_FALSE(decoded.ok()) << size;
    EXPECT_EQ(decoded.error(), Error::kTooSmall) << size;
  }
}

struct FieldCase {
  const char* what;
  size_t offset;
  size_t width;
  uint64_t value;
  Error error;
};

TEST(StartInfoTest, EveryBadHeaderFieldIsRejected) {
  const FieldCase cases[] = {
      {"magic", 0, 4, kMagic ^ 1, Error::kBadMagic},
      {"version 0", 4, 2, 0, Error::kBadVersion},
      {"version 2", 4, 2, 2, Error::kBadVersion},
      {"header size", 6, 2, 40, Error::kBadHeaderSize},
      {"total size above max", 8, 4, kMaxBlockSize + 1, Error::kBadTotalSize},
      {"total size one short", 8, 4, 0, Error::kBadTotalSize},
      {"total size huge", 8, 4, 0xffffffff, Error::kBadTotalSize},
      {"args", 12, 4, kMaxArgs + 1, Error::kTooManyArgs},
      {"args huge", 12, 4, 0xffffffff, Error::kTooManyArgs},
      {"env", 16, 4, kMaxEnv + 1, Error::kTooManyEnv},
      {"caps", 20, 4, kMaxCaps + 1, Error::kTooManyCaps},
      {"one arg fewer", 12, 4, 1, Error::kBadStringsOffset},
      {"one cap more", 20, 4, 5, Error::kBadStringsOffset},
      {"strings offset", 24, 4, kStrings + 8, Error::kBadStringsOffset},
      {"strings size", 28, 4, 1, Error::kBadTotalSize},
      {"strings size huge", 28, 4, 0xffffffff, Error::kBadTotalSize},
      {"pid", 32, 8, 0, Error::kBadPid},
      {"reserved", 40, 8, uint64_t{1} << 63, Error::kReservedNotZero},
  };
  for (const FieldCase& c : cases) {
    std::vector<uint8_t> block = TypicalBlock();
    if (c.offset == 8 && c.value == 0) {
      Store(block, 8, 4, Load(block, 8) - 1);
    } else {
      Store(block, c.offset, c.width, c.value);
    }
    EXPECT_EQ(DecodeError(block), c.error) << c.what;
  }
}

TEST(StartInfoTest, EveryBadTableEntryIsRejected) {
  const size_t second_arg = StringTableOffset() + sizeof(StartInfoString);
  const FieldCase cases[] = {
      {"first offset in the tables", StringTableOffset(), 4, 0, Error::kBadStringOffset},
      {"first offset one late", StringTableOffset(), 4, kStrings + 1, Error::kBadStringOffset},
      {"second offset overlaps", second_arg, 4, kStrings, Error::kBadStringOffset},
      {"second offset huge", second_arg, 4, 0xffffffff, Error::kBadStringOffset},
      {"length longer than the max", second_arg + 4, 4, kMaxStringLength + 1,
       Error::kStringTooLong},
      {"length huge", second_arg + 4, 4, 0xffffffff, Error::kStringTooLong},
      {"length one shorter: no NUL after", second_arg + 4, 4, 8, Error::kStringNotTerminated},
      {"length one longer", second_arg + 4, 4, 10, Error::kStringNotTerminated},
      {"length swallows the NUL", second_arg + 4, 4, 16, Error::kNulInString},
      {"cap handle zero", kFirstCapEntry + 8, 4, 0, Error::kBadCapHandle},
      {"cap reserved", kFirstCapEntry + 12, 4, 1, Error::kReservedNotZero},
      {"cap offset", kFirstCapEntry, 4, kStrings, Error::kBadStringOffset},
  };
  for (const FieldCase& c : cases) {
    std::vector<uint8_t> block = TypicalBlock();
    Store(block, c.offset, c.width, c.value);
    EXPECT_EQ(DecodeError(block), c.error) << c.what;
  }
}

TEST(StartInfoTest, StringPastTheAreaIsOutOfBounds) {
  std::vector<uint8_t> block = TypicalBlock();
  // The last capability name ("log") made one longer than the area allows.
  const size_t last_cap = kFirstCapEntry + 3 * sizeof(StartInfoCap);
  Store(block, last_cap + 4, 4, 4);
  EXPECT_EQ(DecodeError(block), Error::kStringOutOfBounds);
}

TEST(StartInfoTest, BadStringBytesAreRejected) {
  const std::vector<uint8_t> good = TypicalBlock();
  const size_t first_env = Load(good, kFirstEnvEntry);                            // "HOME=/"
  const size_t second_cap = Load(good, kFirstCapEntry + sizeof(StartInfoCap));    // "vm"
  const size_t last_cap = Load(good, kFirstCapEntry + 3 * sizeof(StartInfoCap));  // "log"

  std::vector<uint8_t> block = good;
  block[kStrings + 3] = 0;  // NUL inside "/sbin/init"
  EXPECT_EQ(DecodeError(block), Error::kNulInString);

  block = good;
  block[kStrings + 10] = 'x';  // the NUL after "/sbin/init"
  EXPECT_EQ(DecodeError(block), Error::kStringNotTerminated);

  block = good;
  block[first_env + 4] = '-';  // "HOME-/": no '='
  EXPECT_EQ(DecodeError(block), Error::kBadEnvEntry);

  block = good;
  block[first_env] = '=';  // "=OME=/": empty key
  EXPECT_EQ(DecodeError(block), Error::kBadEnvEntry);

  block = good;
  block[second_cap] = 'l';  // "lm" is fine...
  EXPECT_TRUE(StartInfo::Decode(block.data(), block.size()).ok());
  block[last_cap] = 'l';
  block[last_cap + 1] = 'm';
  block[last_cap + 2] = 0;  // ..."lm" twice is not ("log" shortened to length 2)
  Store(block, kFirstCapEntry + 3 * sizeof(StartInfoCap) + 4, 4, 2);
  EXPECT_EQ(DecodeError(block), Error::kBadCapName);
  block[last_cap] = 'x';  // "xm": unique again, but one string byte is left over
  EXPECT_EQ(DecodeError(block), Error::kTrailingBytes);
}

TEST(StartInfoTest, EmptyCapNameIsRejected) {
  Builder builder;
  builder.SetPid(1);
  ASSERT_TRUE(builder.AddCap(T("x"), 2).ok());
  std::vector<uint8_t> block(kMaxBlockSize);
  auto size = builder.Encode(block.data(), block.size());
  ASSERT_TRUE(size.ok());
  block.resize(size.value());
  const size_t name = StringsOffset(0, 0, 1);
  block[name] = 0;  // "x\0" becomes "" + a trailing byte
  Store(block, CapTableOffset(0, 0) + 4, 4, 0);
  block.pop_back();
  Store(block, 8, 4, block.size());
  Store(block, 28, 4, 1);
  EXPECT_EQ(DecodeError(block), Error::kBadCapName);
}

TEST(StartInfoTest, TrailingStringBytesAreRejected) {
  std::vector<uint8_t> block = TypicalBlock();
  block.push_back(0);
  Store(block, 8, 4, block.size());
  Store(block, 28, 4, Load(block, 28) + 1);
  EXPECT_EQ(DecodeError(block), Error::kTrailingBytes);
}

// Any single bit flip either is rejected or decodes to a block that re-encodes to the flipped
// bytes exactly (the decoder accepts only the canonical layout).
TEST(StartInfoTest, EveryBitFlipIsRejectedOrCanonical) {
  const std::vector<uint8_t> good = TypicalBlock();
  size_t accepted = 0;
  for (size_t byte = 0; byte < good.size(); ++byte) {
    for (int bit = 0; bit < 8; ++bit) {
      std::vector<uint8_t> block = good;
      block[byte] ^= static_cast<uint8_t>(1u << bit);
      auto decoded = StartInfo::Decode(block.data(), block.size());
      if (!decoded.ok()) continue;
      ++accepted;
      Builder builder;
      ASSERT_TRUE(builder.AddAll(decoded.value()).ok());
      std::vector<uint8_t> again(kMaxBlockSize);
      auto size = builder.Encode(again.data(), again.size());
      ASSERT_TRUE(size.ok());
      again.resize(size.value());
      EXPECT_EQ(again, block) << byte << ":" << bit;
    }
  }
  EXPECT_GT(accepted, 0u);  // string characters and handles may change
}

}  // namespace
}  // namespace hiillos::startinfo
