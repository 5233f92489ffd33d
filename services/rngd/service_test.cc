// services/rngd/service_test.cc — rngd's state machine over scripted entropy sources: it
// refuses before it is seeded (no source, RDRAND broken, jitter failing its health tests),
// seeds from RDSEED or RDRAND under the retry rules, serves distinct bytes, reseeds by policy.
#include "services/rngd/service.h"

#include <gtest/gtest.h>

#include <cstring>
#include <set>
#include <vector>

#include "services/rngd/entropy.h"
#include "services/rngd/protocol.h"

namespace hiillos::rngd {
namespace {

// A CPU whose instructions follow a script: `fail_every`: every n-th call fails (0 = never);
// `always_fail`: every call fails. Values come from a counter-based mix (distinct, non-zero).
class ScriptedSource final : public EntropySource {
 public:
  bool has_rdseed = false;
  bool has_rdrand = false;
  bool rdseed_always_fails = false;
  bool rdrand_always_fails = false;
  uint32_t rdseed_fail_every = 0;
  uint32_t rdrand_fail_every = 0;
  uint64_t tsc_step = 100;  // constant TSC steps: jitter fails its health test
  bool tsc_noisy = false;

  uint64_t rdseed_calls = 0, rdrand_calls = 0, pauses = 0;

  bool HasRdseed() override { return has_rdseed; }
  bool HasRdrand() override { return has_rdrand; }
  bool Rdseed(uint64_t* value) override {
    ++rdseed_calls;
    if (rdseed_always_fails) return false;
    if (rdseed_fail_every != 0 && rdseed_calls % rdseed_fail_every == 0) return false;
    *value = Mix(rdseed_calls);
    return true;
  }
  bool Rdrand(uint64_t* value) override {
    ++rdrand_calls;
    if (rdrand_always_fails) return false;
    if (rdrand_fail_every != 0 && rdrand_calls % rdrand_fail_every == 0) return false;
    *value = Mix(rdrand_calls ^ 0x5555);
    return true;
  }
  uint64_t ReadTsc() override {
    tsc_ += tsc_noisy ? 50 + (Mix(tsc_) & 0xff) : tsc_step;
    return tsc_;
  }
  void Pause() override { ++pauses; }

 private:
  static uint64_t Mix(uint64_t x) {
    x += 0x9e3779b97f4a7c15ull;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
    return x ^ (x >> 31);
  }
  uint64_t tsc_ = 1000;
};

struct Reply {
  uint64_t w[6];
};

Reply Call(RngService& service, uint64_t op, uint64_t arg = 0) {
  uint64_t request[6] = {op, arg, 0, 0, 0, 0};
  Reply reply;
  service.Handle(request, reply.w);
  return reply;
}

TEST(RngService, RefusesWithoutAnySource) {
  ScriptedSource source;  // no RDSEED, no RDRAND, jitter with constant steps
  RngService service(source, {});
  EXPECT_EQ(service.Seed().total(), 0u);
  EXPECT_FALSE(service.seeded());
  Reply reply = Call(service, kOpRead, 16);
  EXPECT_EQ(reply.w[0], kNotSeeded);
  for (int i = 1; i < 6; ++i) EXPECT_EQ(reply.w[i], 0u);  // nothing leaks out
  Reply status = Call(service, kOpStatus);
  EXPECT_EQ(status.w[0], kOk);
  EXPECT_EQ(status.w[1], 0u);
  EXPECT_EQ(status.w[3], uint64_t{kSourceJitter});
}

TEST(RngService, RefusesWhenRdrandIsBroken) {
  ScriptedSource source;
  source.has_rdrand = true;
  source.rdrand_always_fails = true;
  RngService service(source, {});
  Gathered got = service.Seed();
  EXPECT_TRUE(got.rdrand_broken);
  EXPECT_EQ(source.rdrand_calls, kRdrandRetries);  // Intel: 10 tries, then give up
  EXPECT_EQ(Call(service, kOpRead, 8).w[0], kNotSeeded);
}

TEST(RngService, SeedsFromRdrandDespiteOccasionalFailures) {
  ScriptedSource source;
  source.has_rdrand = true;
  source.rdrand_fail_every = 7;  // never 10 in a row
  RngService service(source, {});
  Gathered got = service.Seed();
  EXPECT_FALSE(got.rdrand_broken);
  EXPECT_EQ(got.rdrand_bits, 256u);  // two spans of 1024 reads, 128 bits each
  EXPECT_GE(source.rdrand_calls, 2u * kRdrandReadsPer128Bits);
  EXPECT_TRUE(service.seeded());
  Reply a = Call(service, kOpRead, 40);
  Reply b = Call(service, kOpRead, 40);
  ASSERT_EQ(a.w[0], kOk);
  ASSERT_EQ(b.w[0], kOk);
  EXPECT_NE(std::memcmp(&a.w[1], &b.w[1], 40), 0);
  for (int i = 1; i < 6; ++i) EXPECT_NE(a.w[i], 0u);
}

TEST(RngService, RdseedIsPreferredAndRetriedWithPause) {
  ScriptedSource source;
  source.has_rdseed = true;
  source.has_rdrand = true;
  source.rdseed_fail_every = 3;
  RngService service(source, {});
  Gathered got = service.Seed();
  EXPECT_GE(got.rdseed_bits, 256u);
  EXPECT_EQ(got.rdrand_bits, 0u);  // not needed
  EXPECT_EQ(source.rdrand_calls, 0u);
  EXPECT_GT(source.pauses, 0u);
  EXPECT_TRUE(service.seeded());
}

TEST(RngService, DrainedRdseedFallsBackToRdrand) {
  ScriptedSource source;
  source.has_rdseed = true;
  source.rdseed_always_fails = true;
  source.has_rdrand = true;
  RngService service(source, {});
  Gathered got = service.Seed();
  EXPECT_EQ(got.rdseed_bits, 0u);
  EXPECT_EQ(source.rdseed_calls, kRdseedRetries);
  EXPECT_EQ(got.rdrand_bits, 256u);
  EXPECT_TRUE(service.seeded());
}

TEST(RngService, JitterAloneSeedsOnlyWhenHealthy) {
  // Constant steps: the repetition test fails, no credit, ever.
  ScriptedSource flat;
  RngService refused(flat, {});
  for (int i = 0; i < 100; ++i) EXPECT_EQ(Call(refused, kOpRead, 4).w[0], kNotSeeded);
  // Noisy steps: 16 bits per block; each refused read gathers one more block.
  ScriptedSource noisy;
  noisy.tsc_noisy = true;
  RngService service(noisy, {});
  int refusals = 0;
  while (Call(service, kOpRead, 4).w[0] == kNotSeeded) ++refusals;
  EXPECT_EQ(refusals, static_cast<int>(csprng::Csprng::kMinSeedBits / kJitterBitsPerBlock) - 1);
  EXPECT_TRUE(service.seeded());
}

TEST(RngService, ReadLengthsAndUnknownOps) {
  ScriptedSource source;
  source.has_rdrand = true;
  RngService service(source, {});
  EXPECT_EQ(Call(service, kOpRead, 0).w[0], kBadLength);
  EXPECT_EQ(Call(service, kOpRead, kMaxReadBytes + 1).w[0], kBadLength);
  EXPECT_EQ(Call(service, 77).w[0], kUnknownOp);
  Reply three = Call(service, kOpRead, 3);
  ASSERT_EQ(three.w[0], kOk);
  EXPECT_EQ(three.w[1] >> 24, 0u);  // bytes past n are zero
  for (int i = 2; i < 6; ++i) EXPECT_EQ(three.w[i], 0u);
  Reply status = Call(service, kOpStatus);
  EXPECT_EQ(status.w[1], 1u);
  EXPECT_EQ(status.w[3], uint64_t{kSourceRdrand | kSourceJitter});
}

TEST(RngService, ReseedsByPolicy) {
  ScriptedSource source;
  source.has_rdrand = true;
  csprng::ReseedPolicy policy;
  policy.max_requests = 4;
  policy.max_bytes = 0;
  RngService service(source, policy);
  service.Seed();
  EXPECT_EQ(service.reseed_count(), 1u);
  std::set<std::vector<uint8_t>> outputs;
  for (int i = 0; i < 20; ++i) {
    Reply r = Call(service, kOpRead, 16);
    ASSERT_EQ(r.w[0], kOk);
    const auto* bytes = reinterpret_cast<const uint8_t*>(&r.w[1]);
    outputs.insert(std::vector<uint8_t>(bytes, bytes + 16));
  }
  EXPECT_EQ(outputs.size(), 20u);
  EXPECT_GE(service.reseed_count(), 4u);
}

TEST(JitterCredit, HealthTests) {
  uint64_t deltas[kJitterSamples];
  for (size_t i = 0; i < kJitterSamples; ++i) deltas[i] = 100 + (i * 37) % 91;
  EXPECT_EQ(JitterCredit(deltas, kJitterSamples), kJitterBitsPerBlock);
  EXPECT_EQ(JitterCredit(deltas, kJitterSamples - 1), 0u);  // a short block
  for (size_t i = 10; i < 10 + kJitterMaxRepeats; ++i) deltas[i] = 5;
  EXPECT_EQ(JitterCredit(deltas, kJitterSamples), 0u);  // a run of repeats
  for (size_t i = 0; i < kJitterSamples; ++i) deltas[i] = 256 * (i % 2) + (i % 8);
  EXPECT_EQ(JitterCredit(deltas, kJitterSamples), 0u);  // too few distinct low bytes
}

}  // namespace
}  // namespace hiillos::rngd
