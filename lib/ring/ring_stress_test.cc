// lib/ring/ring_stress_test.cc — a producer and a consumer thread stream 64 MiB through a small
// shared ring, both sleeping on (fake) Notify bits through the wake-up protocol; every byte is
// checked against the producer's sequence and a checksum. Then two threads play ping-pong over
// a pair of rings, each waiting for the other in every round. A lost wake-up hangs a test (and
// the Bazel timeout fails it); under ThreadSanitizer a missing acquire/release fails it too.
// The exact interleavings that would lose a wake-up are stepped through one by one in
// ring_test.cc (RingWakeup.*): threads alone hit those windows too rarely to rely on.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <thread>
#include <vector>

#include "lib/ring/consumer.h"
#include "lib/ring/producer.h"
#include "lib/ring/region.h"
#include "lib/ring/testing/fake_notify.h"
#include "lib/ring/testing/test_region.h"

namespace hiillos::ring {
namespace {

using testing::FakeNotify;
using testing::TestRegion;

constexpr uint64_t kStreamBytes = 64ull << 20;
constexpr uint32_t kRingBytes = 4096;
constexpr size_t kMaxBatch = 3000;

// The byte sequence both sides agree on: an xorshift stream.
class Sequence {
 public:
  explicit Sequence(uint64_t seed) : state_(seed) {}
  uint8_t Next() {
    if (left_ == 0) {
      state_ ^= state_ << 13;
      state_ ^= state_ >> 7;
      state_ ^= state_ << 17;
      word_ = state_;
      left_ = 8;
    }
    --left_;
    const uint8_t byte = static_cast<uint8_t>(word_);
    word_ >>= 8;
    return byte;
  }
  // Batch sizes, from a separate stream so each side can draw its own.
  size_t NextBatch() { return 1 + (Next() | Next() << 8) % kMaxBatch; }

 private:
  uint64_t state_;
  uint64_t word_ = 0;
  int left_ = 0;
};

// FNV-1a over the stream, computed independently by both sides.
class Checksum {
 public:
  void Add(const uint8_t* bytes, size_t length) {
    for (size_t i = 0; i < length; ++i) value_ = (value_ ^ bytes[i]) * 0x100000001b3ull;
  }
  uint64_t value() const { return value_; }

 private:
  uint64_t value_ = 0xcbf29ce484222325ull;
};

struct Stats {
  uint64_t sleeps = 0;
  uint64_t signals = 0;
};

void Produce(Producer& producer, FakeNotify& my_notify, FakeNotify& consumer_notify,
             uint64_t* checksum, Stats* stats, bool* ok) {
  Sequence data(0x9e3779b97f4a7c15ull), batches(42);
  Checksum sum;
  std::vector<uint8_t> batch;
  uint64_t sent = 0;
  while (sent < kStreamBytes) {
    batch.resize(std::min<uint64_t>(batches.NextBatch(), kStreamBytes - sent));
    for (uint8_t& byte : batch) byte = data.Next();
    sum.Add(batch.data(), batch.size());
    size_t done = 0;
    while (done < batch.size()) {
      auto pushed = producer.Push(batch.data() + done, batch.size() - done);
      if (!pushed.ok()) return;
      if (pushed.value().wake_consumer) {
        consumer_notify.Signal();
        ++stats->signals;
      }
      done += pushed.value().pushed;
      if (pushed.value().pushed == 0) {
        auto sleep = producer.PrepareToWait();
        if (!sleep.ok()) return;
        if (sleep.value()) {
          my_notify.Wait();
          ++stats->sleeps;
        }
      }
    }
    sent += batch.size();
  }
  *checksum = sum.value();
  *ok = true;
}

void Consume(Consumer& consumer, FakeNotify& my_notify, FakeNotify& producer_notify,
             uint64_t* checksum, Stats* stats, uint64_t* mismatch_at, bool* ok) {
  Sequence data(0x9e3779b97f4a7c15ull), batches(7);
  Checksum sum;
  std::vector<uint8_t> buffer(kMaxBatch);
  uint64_t received = 0;
  while (received < kStreamBytes) {
    auto popped = consumer.Pop(buffer.data(), batches.NextBatch());
    if (!popped.ok()) return;
    if (popped.value().wake_producer) {
      producer_notify.Signal();
      ++stats->signals;
    }
    const size_t n = popped.value().popped;
    for (size_t i = 0; i < n; ++i) {
      if (buffer[i] != data.Next() && *mismatch_at == UINT64_MAX) *mismatch_at = received + i;
    }
    sum.Add(buffer.data(), n);
    received += n;
    if (n == 0) {
      auto sleep = consumer.PrepareToWait();
      if (!sleep.ok()) return;
      if (sleep.value()) {
        my_notify.Wait();
        ++stats->sleeps;
      }
    }
  }
  *checksum = sum.value();
  *ok = true;
}

TEST(RingStress, TwoThreadsStream64MiB) {
  TestRegion region(RequiredRegionSize(1, kRingBytes).value());
  ASSERT_TRUE(InitializeRing(region.data(), region.size(), 1, kRingBytes).ok());
  auto producer = Producer::Attach(region.data(), region.size(), 1);
  auto consumer = Consumer::Attach(region.data(), region.size(), 1);
  ASSERT_TRUE(producer.ok() && consumer.ok());

  FakeNotify producer_notify, consumer_notify;
  uint64_t sent_sum = 0, received_sum = 0, mismatch_at = UINT64_MAX;
  Stats producer_stats, consumer_stats;
  bool producer_ok = false, consumer_ok = false;
  std::thread producer_thread(Produce, std::ref(producer.value()), std::ref(producer_notify),
                              std::ref(consumer_notify), &sent_sum, &producer_stats, &producer_ok);
  std::thread consumer_thread(Consume, std::ref(consumer.value()), std::ref(consumer_notify),
                              std::ref(producer_notify), &received_sum, &consumer_stats,
                              &mismatch_at, &consumer_ok);
  producer_thread.join();
  consumer_thread.join();

  EXPECT_TRUE(producer_ok);
  EXPECT_TRUE(consumer_ok);
  EXPECT_EQ(mismatch_at, UINT64_MAX) << "first wrong byte at offset " << mismatch_at;
  EXPECT_EQ(sent_sum, received_sum);
  EXPECT_EQ(consumer.value().FilledSlots().value(), 0u);
  EXPECT_TRUE(region.GuardIntact());
  // Every sleep was ended by a signal (a spurious extra signal at most per side).
  EXPECT_LE(producer_stats.sleeps, consumer_stats.signals);
  EXPECT_LE(consumer_stats.sleeps, producer_stats.signals);
  printf("producer slept %lu times, consumer %lu times\n",
         static_cast<unsigned long>(producer_stats.sleeps),
         static_cast<unsigned long>(consumer_stats.sleeps));
}

// One byte through `producer`, sleeping while the ring is full.
bool SendByte(Producer& producer, FakeNotify& mine, FakeNotify& consumers, uint8_t byte) {
  while (true) {
    auto pushed = producer.Push(&byte, 1);
    if (!pushed.ok()) return false;
    if (pushed.value().wake_consumer) consumers.Signal();
    if (pushed.value().pushed == 1) return true;
    auto sleep = producer.PrepareToWait();
    if (!sleep.ok()) return false;
    if (sleep.value()) mine.Wait();
  }
}

// One byte from `consumer`, sleeping while the ring is empty; -1 on a ring error.
int ReceiveByte(Consumer& consumer, FakeNotify& mine, FakeNotify& producers) {
  while (true) {
    uint8_t byte = 0;
    auto popped = consumer.Pop(&byte, 1);
    if (!popped.ok()) return -1;
    if (popped.value().wake_producer) producers.Signal();
    if (popped.value().popped == 1) return byte;
    auto sleep = consumer.PrepareToWait();
    if (!sleep.ok()) return -1;
    if (sleep.value()) mine.Wait();
  }
}

TEST(RingStress, PingPongRoundTrips) {
  constexpr int kRounds = 50000;
  constexpr uint32_t kSlots = 4;
  TestRegion request_region(RequiredRegionSize(1, kSlots).value());
  TestRegion reply_region(RequiredRegionSize(1, kSlots).value());
  ASSERT_TRUE(InitializeRing(request_region.data(), request_region.size(), 1, kSlots).ok());
  ASSERT_TRUE(InitializeRing(reply_region.data(), reply_region.size(), 1, kSlots).ok());
  auto requests_out = Producer::Attach(request_region.data(), request_region.size(), 1);
  auto requests_in = Consumer::Attach(request_region.data(), request_region.size(), 1);
  auto replies_out = Producer::Attach(reply_region.data(), reply_region.size(), 1);
  auto replies_in = Consumer::Attach(reply_region.data(), reply_region.size(), 1);
  ASSERT_TRUE(requests_out.ok() && requests_in.ok() && replies_out.ok() && replies_in.ok());
  // Each side's Notify is signalled for either of its rings: there is one waiter per thread.
  FakeNotify client_notify, server_notify;
  int client_errors = 0, server_errors = 0;

  std::thread server([&] {
    for (int round = 0; round < kRounds; ++round) {
      const int byte = ReceiveByte(requests_in.value(), server_notify, client_notify);
      if (byte < 0 || !SendByte(replies_out.value(), server_notify, client_notify,
                                static_cast<uint8_t>(byte + 1))) {
        ++server_errors;
        return;
      }
    }
  });
  for (int round = 0; round < kRounds; ++round) {
    const uint8_t request = static_cast<uint8_t>(round * 7);
    if (!SendByte(requests_out.value(), client_notify, server_notify, request)) {
      ++client_errors;
      break;
    }
    const int reply = ReceiveByte(replies_in.value(), client_notify, server_notify);
    if (reply != static_cast<uint8_t>(request + 1)) {
      ++client_errors;
      break;
    }
  }
  server.join();
  EXPECT_EQ(client_errors, 0);
  EXPECT_EQ(server_errors, 0);
  EXPECT_EQ(requests_in.value().FilledSlots().value(), 0u);
  EXPECT_EQ(replies_in.value().FilledSlots().value(), 0u);
}

}  // namespace
}  // namespace hiillos::ring
