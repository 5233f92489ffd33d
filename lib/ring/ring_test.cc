// lib/ring/ring_test.cc — the shared ring on one thread: creation and attach validation, batch
// push/pop of bytes and records with wrap-around, a hostile peer's indices, and every ordering
// of the wake-up protocol's steps.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <vector>

#include "lib/ring/consumer.h"
#include "lib/ring/producer.h"
#include "lib/ring/region.h"
#include "lib/ring/testing/test_region.h"

namespace hiillos::ring {
namespace {

using testing::TestRegion;

// A region holding a freshly initialised ring, and both ends attached to it.
struct Fixture {
  Fixture(uint32_t slot_size, uint32_t slot_count)
      : region(RequiredRegionSize(slot_size, slot_count).value()),
        init(InitializeRing(region.data(), region.size(), slot_size, slot_count)),
        producer(Producer::Attach(region.data(), region.size(), slot_size)),
        consumer(Consumer::Attach(region.data(), region.size(), slot_size)) {}
  RingHeader& header() { return *reinterpret_cast<RingHeader*>(region.data()); }
  Producer& p() { return producer.value(); }
  Consumer& c() { return consumer.value(); }

  TestRegion region;
  Result<void, Error> init;
  Result<Producer, Error> producer;
  Result<Consumer, Error> consumer;
};

std::vector<uint8_t> Bytes(std::initializer_list<int> values) {
  std::vector<uint8_t> bytes;
  for (int v : values) bytes.push_back(static_cast<uint8_t>(v));
  return bytes;
}

size_t PushBytes(Producer& producer, const std::vector<uint8_t>& bytes) {
  auto pushed = producer.Push(bytes.data(), bytes.size());
  EXPECT_TRUE(pushed.ok());
  return pushed.ok() ? pushed.value().pushed : 0;
}

std::vector<uint8_t> PopBytes(Consumer& consumer, size_t max) {
  std::vector<uint8_t> out(max);
  auto popped = consumer.Pop(out.data(), out.size());
  EXPECT_TRUE(popped.ok());
  out.resize(popped.ok() ? popped.value().popped : 0);
  return out;
}

TEST(RingLayout, SizesFollowGeometry) {
  EXPECT_EQ(RequiredRegionSize(1, 4096).value(), sizeof(RingHeader) + 4096);
  EXPECT_EQ(RequiredRegionSize(16, 256).value(), sizeof(RingHeader) + 4096);
  EXPECT_EQ(RequiredRegionSize(0xffffffff, kMaxSlotCount).value(),
            sizeof(RingHeader) + uint64_t{0xffffffff} * kMaxSlotCount);
  EXPECT_EQ(RequiredRegionSize(0, 8).error(), Error::kBadGeometry);
  EXPECT_EQ(RequiredRegionSize(1, 0).error(), Error::kBadGeometry);
  EXPECT_EQ(RequiredRegionSize(1, 12).error(), Error::kBadGeometry);
  EXPECT_STREQ(ErrorName(Error::kCorruptIndices), "ring indices out of range");
}

TEST(RingRegion, InitializeChecksTheRegion) {
  TestRegion region(4096);
  EXPECT_EQ(InitializeRing(region.data() + 8, 4000, 1, 64).error(), Error::kMisalignedRegion);
  EXPECT_EQ(InitializeRing(region.data(), 100, 1, 64).error(), Error::kRegionTooSmall);
  EXPECT_EQ(InitializeRing(region.data(), 4096, 1, 8192).error(), Error::kRegionTooSmall);
  EXPECT_EQ(InitializeRing(region.data(), 4096, 3, 100).error(), Error::kBadGeometry);
  EXPECT_TRUE(InitializeRing(region.data(), 4096, 1, 2048).ok());
  EXPECT_TRUE(region.GuardIntact());
}

TEST(RingRegion, AttachRejectsBadHeaders) {
  TestRegion region(sizeof(RingHeader) + 64 * 16);
  auto* header = reinterpret_cast<RingHeader*>(region.data());
  auto reset = [&] { ASSERT_TRUE(InitializeRing(region.data(), region.size(), 16, 64).ok()); };
  auto attach_error = [&](uint32_t slot_size = 16) {
    auto producer = Producer::Attach(region.data(), region.size(), slot_size);
    auto consumer = Consumer::Attach(region.data(), region.size(), slot_size);
    EXPECT_FALSE(producer.ok());
    EXPECT_FALSE(consumer.ok());
    EXPECT_EQ(producer.error(), consumer.error());
    return consumer.ok() ? Error::kBadMagic : consumer.error();
  };
  reset();
  EXPECT_TRUE(Consumer::Attach(region.data(), region.size(), 16).ok());
  EXPECT_EQ(attach_error(8), Error::kSlotSizeMismatch);
  header->magic ^= 1;
  EXPECT_EQ(attach_error(), Error::kBadMagic);
  reset();
  header->version = 2;
  EXPECT_EQ(attach_error(), Error::kBadMagic);
  reset();
  header->slot_count = 48;
  EXPECT_EQ(attach_error(), Error::kBadGeometry);
  reset();
  header->slot_count = 128;  // a power of two, but larger than the region
  EXPECT_EQ(attach_error(), Error::kRegionTooSmall);
  reset();
  header->slot_count = 0x80000000u;
  header->slot_size = 0xffffffffu;
  EXPECT_EQ(attach_error(0xffffffffu), Error::kRegionTooSmall);
  reset();
  header->head = 65;  // 65 filled slots in a ring of 64
  EXPECT_EQ(attach_error(), Error::kCorruptIndices);
  reset();
  header->tail = 1;  // tail ahead of head
  EXPECT_EQ(attach_error(), Error::kCorruptIndices);
  reset();
  header->head = 0x10;  // wrapped counters are fine: 0x10 - 0xfffffff0 = 32 filled
  header->tail = 0xfffffff0u;
  EXPECT_TRUE(Consumer::Attach(region.data(), region.size(), 16).ok());
  EXPECT_EQ(Producer::Attach(region.data() + 64, region.size() - 64, 16).error(), Error::kBadMagic);
  EXPECT_EQ(Producer::Attach(region.data() + 4, region.size(), 16).error(),
            Error::kMisalignedRegion);
  EXPECT_EQ(Producer::Attach(region.data(), 100, 16).error(), Error::kRegionTooSmall);
}

TEST(Ring, BytesComeOutInOrderAcrossTheWrap) {
  Fixture ring(1, 8);
  ASSERT_TRUE(ring.init.ok() && ring.producer.ok() && ring.consumer.ok());
  EXPECT_EQ(PushBytes(ring.p(), Bytes({1, 2, 3, 4, 5})), 5u);
  EXPECT_EQ(PopBytes(ring.c(), 3), Bytes({1, 2, 3}));
  EXPECT_EQ(ring.p().FreeSlots().value(), 6u);
  EXPECT_EQ(PushBytes(ring.p(), Bytes({6, 7, 8, 9, 10, 11, 12})), 6u);  // one does not fit
  EXPECT_EQ(ring.p().FreeSlots().value(), 0u);
  EXPECT_EQ(PushBytes(ring.p(), Bytes({13})), 0u);
  EXPECT_EQ(ring.c().FilledSlots().value(), 8u);
  EXPECT_EQ(PopBytes(ring.c(), 100), Bytes({4, 5, 6, 7, 8, 9, 10, 11}));
  EXPECT_EQ(PopBytes(ring.c(), 100), Bytes({}));
  EXPECT_TRUE(ring.region.GuardIntact());
}

TEST(Ring, ManyLapsAroundMatchAReferenceQueue) {
  Fixture ring(1, 64);
  std::mt19937 random(1);
  std::vector<uint8_t> expected;  // pushed, not yet popped
  uint8_t next = 0;
  for (int step = 0; step < 20000; ++step) {
    std::vector<uint8_t> batch(random() % 80);
    for (uint8_t& byte : batch) byte = next++;
    const size_t pushed = PushBytes(ring.p(), batch);
    EXPECT_EQ(pushed, std::min(batch.size(), 64 - expected.size()));
    next = static_cast<uint8_t>(next - (batch.size() - pushed));
    expected.insert(expected.end(), batch.begin(), batch.begin() + pushed);
    const std::vector<uint8_t> popped = PopBytes(ring.c(), random() % 80);
    ASSERT_LE(popped.size(), expected.size());
    ASSERT_TRUE(std::equal(popped.begin(), popped.end(), expected.begin())) << step;
    expected.erase(expected.begin(), expected.begin() + popped.size());
  }
  EXPECT_TRUE(ring.region.GuardIntact());
}

TEST(Ring, FixedSizeRecords) {
  struct Event {
    uint32_t kind;
    uint32_t code;
    uint64_t time;
  };
  Fixture ring(sizeof(Event), 4);
  ASSERT_TRUE(ring.producer.ok() && ring.consumer.ok());
  const Event events[] = {{1, 30, 100}, {2, 31, 200}, {1, 32, 300}, {2, 33, 400}, {1, 34, 500}};
  EXPECT_EQ(ring.p().Push(events, 3).value().pushed, 3u);
  Event out[5] = {};
  EXPECT_EQ(ring.c().Pop(out, 2).value().popped, 2u);
  EXPECT_EQ(ring.p().Push(events + 3, 2).value().pushed, 2u);  // wraps
  EXPECT_EQ(ring.c().Pop(out + 2, 5).value().popped, 3u);
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(out[i].code, events[i].code);
    EXPECT_EQ(out[i].time, events[i].time);
  }
  EXPECT_EQ(Consumer::Attach(ring.region.data(), ring.region.size(), 8).error(),
            Error::kSlotSizeMismatch);
}

TEST(Ring, HostilePeerIndicesGiveErrorsNeverStrayAccesses) {
  Fixture ring(4, 16);
  std::mt19937 random(2);
  const std::vector<uint8_t> data(64 * 4, 0x11);
  std::vector<uint8_t> out(64 * 4 + 16, 0x22);
  int corrupt_pushes = 0, corrupt_pops = 0;
  for (int step = 0; step < 5000; ++step) {
    // The peer may write anything into the shared header at any time, including the geometry
    // (which the attached ends no longer read).
    RingHeader& header = ring.header();
    switch (random() % 4) {
      case 0:
        header.tail = random();
        break;
      case 1:
        header.head = random();
        break;
      case 2:
        header.slot_count = random();
        header.slot_size = random();
        break;
      default:
        break;
    }
    auto pushed = ring.p().Push(data.data(), random() % 64);
    if (!pushed.ok()) {
      EXPECT_EQ(pushed.error(), Error::kCorruptIndices);
      ++corrupt_pushes;
    }
    auto popped = ring.c().Pop(out.data(), random() % 64);
    if (!popped.ok()) {
      EXPECT_EQ(popped.error(), Error::kCorruptIndices);
      ++corrupt_pops;
    } else {
      EXPECT_LE(popped.value().popped, 16u);
    }
    for (size_t i = 64 * 4; i < out.size(); ++i) ASSERT_EQ(out[i], 0x22) << "popped too much";
    ASSERT_TRUE(ring.region.GuardIntact()) << "wrote past the region at step " << step;
  }
  EXPECT_GT(corrupt_pushes, 0);
  EXPECT_GT(corrupt_pops, 0);
}

TEST(Ring, CorruptIndicesLeaveEverythingUntouched) {
  Fixture ring(1, 8);
  EXPECT_EQ(PushBytes(ring.p(), Bytes({1, 2})), 2u);
  ring.header().tail = 3;  // the consumer claims to have read past head
  const uint8_t more[] = {9, 9};
  EXPECT_EQ(ring.p().Push(more, 2).error(), Error::kCorruptIndices);
  EXPECT_EQ(ring.p().FreeSlots().error(), Error::kCorruptIndices);
  EXPECT_EQ(ring.p().PrepareToWait().error(), Error::kCorruptIndices);
  EXPECT_EQ(ring.header().head, 2u);
  ring.header().tail = 0;
  ring.header().head = 9;  // the producer claims more than the ring holds
  uint8_t out[16] = {};
  EXPECT_EQ(ring.c().Pop(out, 16).error(), Error::kCorruptIndices);
  EXPECT_EQ(ring.c().FilledSlots().error(), Error::kCorruptIndices);
  EXPECT_EQ(ring.c().PrepareToWait().error(), Error::kCorruptIndices);
  for (uint8_t byte : out) EXPECT_EQ(byte, 0);
  EXPECT_EQ(ring.header().tail, 0u);
}

// The wake-up protocol, one step at a time (docs/protocols/ring.md).

TEST(RingWakeup, NobodyWaitingMeansNoSignal) {
  Fixture ring(1, 4);
  EXPECT_FALSE(ring.p().Push("ab", 2).value().wake_consumer);
  uint8_t out[4];
  EXPECT_FALSE(ring.c().Pop(out, 4).value().wake_producer);
}

TEST(RingWakeup, ConsumerSleepsThenProducerSignalsOnce) {
  Fixture ring(1, 4);
  uint8_t out[4];
  EXPECT_EQ(ring.c().Pop(out, 4).value().popped, 0u);
  EXPECT_TRUE(ring.c().PrepareToWait().value());  // ring still empty: sleep
  EXPECT_TRUE(ring.p().Push("a", 1).value().wake_consumer);
  EXPECT_FALSE(ring.p().Push("b", 1).value().wake_consumer);  // flag taken by the first signal
  EXPECT_EQ(ring.c().Pop(out, 4).value().popped, 2u);
}

TEST(RingWakeup, DataBeforeTheFlagMeansConsumerDoesNotSleep) {
  // The lost-wake-up window: the consumer saw an empty ring, the producer pushes before the
  // consumer sets its flag (so the producer sees no waiter), then the consumer prepares to wait.
  Fixture ring(1, 4);
  uint8_t out[4];
  EXPECT_EQ(ring.c().Pop(out, 4).value().popped, 0u);
  EXPECT_FALSE(ring.p().Push("a", 1).value().wake_consumer);
  EXPECT_FALSE(ring.c().PrepareToWait().value());  // re-check sees the data: do not sleep
  EXPECT_EQ(ring.header().consumer_waiting, 0u);   // and no stale flag is left behind
  EXPECT_FALSE(ring.p().Push("b", 1).value().wake_consumer);
  EXPECT_EQ(ring.c().Pop(out, 4).value().popped, 2u);
}

TEST(RingWakeup, ProducerSleepsOnFullRingThenConsumerSignalsOnce) {
  Fixture ring(1, 4);
  EXPECT_EQ(ring.p().Push("abcd", 4).value().pushed, 4u);
  EXPECT_EQ(ring.p().Push("e", 1).value().pushed, 0u);
  EXPECT_TRUE(ring.p().PrepareToWait().value());
  uint8_t out[4];
  EXPECT_TRUE(ring.c().Pop(out, 1).value().wake_producer);
  EXPECT_FALSE(ring.c().Pop(out, 1).value().wake_producer);
}

TEST(RingWakeup, SpaceBeforeTheFlagMeansProducerDoesNotSleep) {
  Fixture ring(1, 4);
  EXPECT_EQ(ring.p().Push("abcd", 4).value().pushed, 4u);
  EXPECT_EQ(ring.p().Push("e", 1).value().pushed, 0u);
  uint8_t out[4];
  EXPECT_FALSE(ring.c().Pop(out, 1).value().wake_producer);
  EXPECT_FALSE(ring.p().PrepareToWait().value());
  EXPECT_EQ(ring.header().producer_waiting, 0u);
  EXPECT_EQ(ring.p().Push("e", 1).value().pushed, 1u);
}

}  // namespace
}  // namespace hiillos::ring
