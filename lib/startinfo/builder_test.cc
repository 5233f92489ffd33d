// lib/startinfo/builder_test.cc — building blocks: round trips through the decoder, the exact
// canonical layout, and every rule and bound the builder enforces.
#include "lib/startinfo/builder.h"

#include <gtest/gtest.h>

#include <random>
#include <string>

#include "lib/startinfo/start_info.h"
#include "lib/startinfo/test_block.h"

namespace hiillos::startinfo {
namespace {

std::vector<uint8_t> Encode(const Builder& builder) {
  std::vector<uint8_t> block(kMaxBlockSize);
  auto size = builder.Encode(block.data(), block.size());
  EXPECT_TRUE(size.ok());
  block.resize(size.value_or(0));
  return block;
}

TEST(BuilderTest, TypicalBlockHasTheDocumentedLayout) {
  const std::vector<uint8_t> block = TypicalBlock();
  // header 48 + 4 strings * 8 + 4 caps * 16, then the strings with their NULs.
  const size_t strings = 48 + 4 * 8 + 4 * 16;
  const std::string text = std::string("/sbin/init\0--verbose\0HOME=/\0EMPTY=\0", 35) +
                           std::string("initfs\0vm\0proc\0log\0", 19);
  ASSERT_EQ(block.size(), strings + text.size());
  EXPECT_EQ(std::string(block.begin() + strings, block.end()), text);
  EXPECT_EQ(LoadLittleEndian(block.data(), 4), kMagic);
  EXPECT_EQ(std::string(block.begin(), block.begin() + 4), "HSI1");
  EXPECT_EQ(LoadLittleEndian(block.data() + 24, 4), strings);
  EXPECT_EQ(LoadLittleEndian(block.data() + 28, 4), text.size());
  // The "vm" capability: name at its offset, handle 4.
  const uint8_t* vm = block.data() + 48 + 4 * 8 + 16;
  EXPECT_EQ(LoadLittleEndian(vm, 4), strings + 35 + 7);
  EXPECT_EQ(LoadLittleEndian(vm + 4, 4), 2u);
  EXPECT_EQ(LoadLittleEndian(vm + 8, 4), 4u);
}

TEST(BuilderTest, EmptyBlockRoundTrips) {
  Builder builder;
  builder.SetPid(uint64_t{1} << 40);
  const std::vector<uint8_t> block = Encode(builder);
  EXPECT_EQ(block.size(), sizeof(StartInfoHeader));
  auto decoded = StartInfo::Decode(block.data(), block.size());
  ASSERT_TRUE(decoded.ok());
  EXPECT_EQ(decoded.value().pid(), uint64_t{1} << 40);
  EXPECT_EQ(decoded.value().arg_count() + decoded.value().env_count(), 0u);
  EXPECT_EQ(decoded.value().cap_count(), 0u);
}

TEST(BuilderTest, EncodeNeedsAPidAndRoom) {
  Builder builder;
  ASSERT_TRUE(builder.AddArg(T("a")).ok());
  uint8_t out[kMaxBlockSize];
  EXPECT_EQ(builder.Encode(out, sizeof(out)).error(), Error::kBadPid);
  builder.SetPid(3);
  const size_t size = builder.EncodedSize();
  EXPECT_EQ(builder.Encode(out, size - 1).error(), Error::kNoRoom);
  EXPECT_EQ(builder.Encode(out, size).value_or(0), size);
}

TEST(BuilderTest, RejectsBadStrings) {
  Builder builder;
  EXPECT_EQ(builder.AddArg(Text{"a\0b", 3}).error(), Error::kNulInString);
  EXPECT_EQ(builder.AddEnv(T("novalue")).error(), Error::kBadEnvEntry);
  EXPECT_EQ(builder.AddEnv(T("=x")).error(), Error::kBadEnvEntry);
  EXPECT_TRUE(builder.AddEnv(T("k==x")).ok());
  EXPECT_EQ(builder.AddCap(T(""), 1).error(), Error::kBadCapName);
  EXPECT_EQ(builder.AddCap(T("vm"), 0).error(), Error::kBadCapHandle);
  EXPECT_TRUE(builder.AddCap(T("vm"), 1).ok());
  EXPECT_EQ(builder.AddCap(T("vm"), 2).error(), Error::kBadCapName);
  const std::string long_string(kMaxStringLength + 1, 'x');
  EXPECT_EQ(builder.AddArg(Text{long_string.data(), long_string.size()}).error(),
            Error::kStringTooLong);
  EXPECT_TRUE(builder.AddArg(Text{long_string.data(), kMaxStringLength}).ok());
  // Failed calls changed nothing.
  builder.SetPid(1);
  auto decoded = Encode(builder);
  auto info = StartInfo::Decode(decoded.data(), decoded.size());
  ASSERT_TRUE(info.ok());
  EXPECT_EQ(info.value().arg_count(), 1u);
  EXPECT_EQ(info.value().env_count(), 1u);
  EXPECT_EQ(info.value().cap_count(), 1u);
}

TEST(BuilderTest, EnforcesCountsAndTheBlockSize) {
  Builder builder;
  builder.SetPid(1);
  for (size_t i = 0; i < kMaxArgs; ++i) ASSERT_TRUE(builder.AddArg(T("")).ok());
  EXPECT_EQ(builder.AddArg(T("")).error(), Error::kTooManyArgs);
  for (size_t i = 0; i < kMaxEnv; ++i) ASSERT_TRUE(builder.AddEnv(T("a=")).ok());
  EXPECT_EQ(builder.AddEnv(T("a=")).error(), Error::kTooManyEnv);
  static char names[kMaxCaps + 1][4];
  for (size_t i = 0; i <= kMaxCaps; ++i) names[i][0] = 'c', names[i][1] = char('A' + i);
  for (size_t i = 0; i < kMaxCaps; ++i) ASSERT_TRUE(builder.AddCap(T(names[i]), 1).ok());
  EXPECT_EQ(builder.AddCap(T(names[kMaxCaps]), 1).error(), Error::kTooManyCaps);
  const std::vector<uint8_t> full = Encode(builder);
  EXPECT_TRUE(StartInfo::Decode(full.data(), full.size()).ok());

  Builder big;
  big.SetPid(1);
  const std::string chunk(kMaxStringLength, 'y');
  Result<void, Error> added = Ok<Error>();
  size_t count = 0;
  while ((added = big.AddArg(Text{chunk.data(), chunk.size()})).ok()) ++count;
  EXPECT_EQ(added.error(), Error::kNoRoom);
  EXPECT_EQ(count, 3u);  // a fourth 1 KiB argument would pass one page
  EXPECT_LE(big.EncodedSize(), kMaxBlockSize);
}

// Random blocks round-trip: decode gives back every string and handle, and re-encoding the
// decoded block gives the same bytes.
TEST(BuilderTest, RandomBlocksRoundTrip) {
  std::mt19937_64 rng(11);
  for (int round = 0; round < 500; ++round) {
    std::vector<std::string> args, env, names;
    std::vector<uint32_t> handles;
    Builder builder;
    const uint64_t pid = 1 + rng() % 1000;
    builder.SetPid(pid);
    auto random_string = [&](size_t max) {
      std::string s(rng() % (max + 1), ' ');
      for (char& c : s) c = static_cast<char>(1 + rng() % 255);
      return s;
    };
    args.reserve(kMaxArgs), env.reserve(kMaxEnv), names.reserve(kMaxCaps);
    for (size_t i = rng() % 8; i > 0; --i) {
      args.push_back(random_string(40));
      if (!builder.AddArg(Text{args.back().data(), args.back().size()}).ok()) args.pop_back();
    }
    for (size_t i = rng() % 8; i > 0; --i) {
      env.push_back("k" + std::to_string(i) + "=" + random_string(20));
      if (!builder.AddEnv(Text{env.back().data(), env.back().size()}).ok()) env.pop_back();
    }
    for (size_t i = rng() % 8; i > 0; --i) {
      names.push_back("cap" + std::to_string(i));
      handles.push_back(1 + static_cast<uint32_t>(rng() % 100));
      ASSERT_TRUE(
          builder.AddCap(Text{names.back().data(), names.back().size()}, handles.back()).ok());
    }
    const std::vector<uint8_t> block = Encode(builder);
    auto decoded = StartInfo::Decode(block.data(), block.size());
    ASSERT_TRUE(decoded.ok()) << ErrorName(decoded.error());
    const StartInfo& info = decoded.value();
    EXPECT_EQ(info.pid(), pid);
    ASSERT_EQ(info.arg_count(), args.size());
    for (size_t i = 0; i < args.size(); ++i) {
      EXPECT_EQ(std::string(info.Arg(i).data, info.Arg(i).length), args[i]);
    }
    ASSERT_EQ(info.env_count(), env.size());
    for (size_t i = 0; i < env.size(); ++i) {
      EXPECT_EQ(std::string(info.Env(i).data, info.Env(i).length), env[i]);
    }
    ASSERT_EQ(info.cap_count(), names.size());
    for (size_t i = 0; i < names.size(); ++i) {
      EXPECT_EQ(info.FindCap(Text{names[i].data(), names[i].size()}), handles[i]);
    }
    Builder again;
    ASSERT_TRUE(again.AddAll(info).ok());
    EXPECT_EQ(Encode(again), block);
  }
}

}  // namespace
}  // namespace hiillos::startinfo
