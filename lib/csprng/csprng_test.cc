// lib/csprng/csprng_test.cc — the generator's contract: no output before 256 bits of entropy,
// determinism, seed sensitivity, reseeding, chunking, key erasure and a statistical sanity check.
#include "lib/csprng/csprng.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <vector>

namespace hiillos::csprng {
namespace {

std::vector<uint8_t> Seed(uint8_t fill, size_t length = 32) {
  return std::vector<uint8_t>(length, fill);
}

void AddSeed(Csprng& generator, uint8_t fill) {
  const std::vector<uint8_t> seed = Seed(fill);
  generator.AddEntropy(seed.data(), seed.size(), 256);
}

std::vector<uint8_t> Output(Csprng& generator, size_t length) {
  std::vector<uint8_t> out(length);
  EXPECT_TRUE(generator.Generate(out.data(), out.size()).ok());
  return out;
}

TEST(Csprng, RefusesOutputBeforeSeeded) {
  Csprng generator;
  uint8_t out[16] = {};
  auto result = generator.Generate(out, sizeof(out));
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.error(), Error::kNotSeeded);
  for (uint8_t byte : out) EXPECT_EQ(byte, 0);
  EXPECT_FALSE(generator.seeded());
  EXPECT_STREQ(ErrorName(Error::kNotSeeded), "generator not seeded with 256 bits of entropy yet");
}

TEST(Csprng, SeedsOnceEstimatesReach256Bits) {
  Csprng generator;
  const std::vector<uint8_t> sample = Seed(0x5a, 64);
  generator.AddEntropy(sample.data(), sample.size(), 100);
  generator.AddEntropy(sample.data(), sample.size(), 100);
  EXPECT_FALSE(generator.seeded());
  EXPECT_EQ(generator.pool_bits(), 200u);
  uint8_t out[1];
  EXPECT_FALSE(generator.Generate(out, 1).ok());
  generator.AddEntropy(sample.data(), sample.size(), 56);
  EXPECT_TRUE(generator.seeded());
  EXPECT_EQ(generator.reseed_count(), 1u);
  EXPECT_EQ(generator.pool_bits(), 0u);  // the pool went into the key
  EXPECT_TRUE(generator.Generate(out, 1).ok());
}

TEST(Csprng, EstimatesAreCappedAtEightBitsPerByte) {
  Csprng generator;
  const uint8_t four_bytes[4] = {1, 2, 3, 4};
  generator.AddEntropy(four_bytes, sizeof(four_bytes), 1000);  // claims too much: 32 bits count
  EXPECT_EQ(generator.pool_bits(), 32u);
  EXPECT_FALSE(generator.seeded());
  generator.AddEntropy(nullptr, 0, 1000);
  EXPECT_EQ(generator.pool_bits(), 32u);
}

TEST(Csprng, SameSeedGivesSameStream) {
  Csprng a, b;
  AddSeed(a, 1);
  AddSeed(b, 1);
  for (size_t length : {1, 31, 32, 33, 64, 1000}) EXPECT_EQ(Output(a, length), Output(b, length));
}

TEST(Csprng, DifferentSeedsGiveDifferentStreams) {
  Csprng a, b;
  AddSeed(a, 1);
  AddSeed(b, 2);
  EXPECT_NE(Output(a, 64), Output(b, 64));
  // Seeds that differ in their last byte only, and in how the same bytes are split.
  Csprng c, d;
  std::vector<uint8_t> seed = Seed(7, 40);
  c.AddEntropy(seed.data(), seed.size(), 256);
  seed.back() ^= 1;
  d.AddEntropy(seed.data(), seed.size(), 256);
  EXPECT_NE(Output(c, 64), Output(d, 64));
}

TEST(Csprng, ConsecutiveRequestsDiffer) {
  Csprng generator;
  AddSeed(generator, 3);
  const std::vector<uint8_t> first = Output(generator, 64);
  const std::vector<uint8_t> second = Output(generator, 64);
  EXPECT_NE(first, second);
}

TEST(Csprng, OutputDependsOnlyOnKeyNotOnRequestSizes) {
  // Fast key erasure: a request of n bytes is a prefix of what a longer request would have given
  // under the same key, and the next key does not depend on n.
  Csprng a, b;
  AddSeed(a, 4);
  AddSeed(b, 4);
  const std::vector<uint8_t> short_output = Output(a, 10);
  const std::vector<uint8_t> long_output = Output(b, 500);
  EXPECT_TRUE(std::equal(short_output.begin(), short_output.end(), long_output.begin()));
  EXPECT_EQ(Output(a, 100), Output(b, 100));
}

TEST(Csprng, LargeRequestEqualsItsChunks) {
  const ReseedPolicy no_reseed{.max_bytes = 0, .max_requests = 0};
  Csprng whole(no_reseed), chunked(no_reseed);
  AddSeed(whole, 5);
  AddSeed(chunked, 5);
  const size_t length = 3 * Csprng::kChunkBytes + 1234;
  const std::vector<uint8_t> all = Output(whole, length);
  std::vector<uint8_t> pieces;
  for (size_t done = 0; done < length; done += Csprng::kChunkBytes) {
    const size_t chunk = std::min(Csprng::kChunkBytes, length - done);
    const std::vector<uint8_t> piece = Output(chunked, chunk);
    pieces.insert(pieces.end(), piece.begin(), piece.end());
  }
  EXPECT_EQ(all, pieces);
  EXPECT_EQ(Output(whole, 64), Output(chunked, 64));  // both end on the same key
}

TEST(Csprng, ReseedsAfterMaxRequestsWhenEntropyIsThere) {
  const ReseedPolicy policy{.max_bytes = 0, .max_requests = 3};
  Csprng reseeded(policy), untouched(policy);
  AddSeed(reseeded, 6);
  AddSeed(untouched, 6);
  for (int i = 0; i < 3; ++i) EXPECT_EQ(Output(reseeded, 16), Output(untouched, 16));
  EXPECT_TRUE(reseeded.reseed_due());
  // Fresh entropy for one of them only: the next request reseeds it and the streams part.
  AddSeed(reseeded, 0xee);
  EXPECT_EQ(reseeded.reseed_count(), 1u);
  const std::vector<uint8_t> after_reseed = Output(reseeded, 16);
  EXPECT_EQ(reseeded.reseed_count(), 2u);
  EXPECT_FALSE(reseeded.reseed_due());
  EXPECT_NE(after_reseed, Output(untouched, 16));
  // Without entropy the other one keeps producing (and keeps asking).
  EXPECT_EQ(untouched.reseed_count(), 1u);
  EXPECT_TRUE(untouched.reseed_due());
}

TEST(Csprng, ReseedsAfterMaxBytes) {
  Csprng generator(ReseedPolicy{.max_bytes = 1000, .max_requests = 0});
  AddSeed(generator, 8);
  (void)Output(generator, 999);
  EXPECT_FALSE(generator.reseed_due());
  (void)Output(generator, 1);
  EXPECT_TRUE(generator.reseed_due());
  AddSeed(generator, 9);
  (void)Output(generator, 1);
  EXPECT_EQ(generator.reseed_count(), 2u);
  EXPECT_FALSE(generator.reseed_due());
}

TEST(Csprng, ReseedChangesTheStreamAtThatPoint) {
  // Same seed, same extra entropy; only the moment of the reseed differs.
  Csprng early(ReseedPolicy{.max_bytes = 0, .max_requests = 1});
  Csprng late(ReseedPolicy{.max_bytes = 0, .max_requests = 2});
  AddSeed(early, 10);
  AddSeed(late, 10);
  AddSeed(early, 11);
  AddSeed(late, 11);
  EXPECT_EQ(Output(early, 32), Output(late, 32));  // request 1: no reseed yet for either
  EXPECT_NE(Output(early, 32), Output(late, 32));  // request 2: only `early` reseeded first
}

TEST(Csprng, BitAndByteFrequenciesLookUniform) {
  // Fixed seed, so the result is the same on every run; a broken generator (stuck bytes, a
  // repeating short cycle, all zeros) fails it.
  Csprng generator;
  AddSeed(generator, 12);
  const size_t length = 1 << 20;
  const std::vector<uint8_t> out = Output(generator, length);
  uint64_t counts[256] = {};
  uint64_t ones = 0;
  for (uint8_t byte : out) {
    ++counts[byte];
    ones += __builtin_popcount(byte);
  }
  // Ones among 8 Mi bits: standard deviation sqrt(n)/2 = 1448; allow 6 deviations.
  const double bits = 8.0 * length;
  EXPECT_LT(std::fabs(ones - bits / 2), 6 * std::sqrt(bits) / 2);
  // Chi-square over byte values, 255 degrees of freedom: mean 255, deviation ~22.6.
  const double expected = length / 256.0;
  double chi_square = 0;
  for (uint64_t count : counts) chi_square += (count - expected) * (count - expected) / expected;
  EXPECT_GT(chi_square, 150.0);
  EXPECT_LT(chi_square, 400.0);
}

}  // namespace
}  // namespace hiillos::csprng
