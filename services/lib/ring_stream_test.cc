// services/lib/ring_stream_test.cc — RingWriter/RingReader on the host: a writer and a reader
// thread stream 16 MiB through a 4 KiB ring, each sleeping on a (fake) Notify whenever the ring
// is full or empty, and the reader checks every byte and a checksum; also run under
// ThreadSanitizer (:ring_stream_tsan_test). A lost wake-up hangs the test (the Bazel timeout
// fails it). Then the error paths: a corrupt peer index and a failing Notify.
#include "services/lib/ring_stream.h"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

#include "lib/ring/layout.h"
#include "lib/ring/region.h"
#include "lib/ring/testing/fake_notify.h"
#include "lib/ring/testing/test_region.h"

namespace hiillos::rt {
namespace {

using ring::testing::FakeNotify;
using ring::testing::TestRegion;

constexpr uint64_t kStreamBytes = 16ull << 20;
constexpr uint32_t kSlotCount = 4096;

struct Side {
  FakeNotify* peer;
  FakeNotify* own;
  uint64_t signals = 0;
  uint64_t waits = 0;
};

RingWakeOps FakeOps(Side* side) {
  RingWakeOps ops;
  ops.context = side;
  ops.signal_peer = [](void* context) {
    auto* s = static_cast<Side*>(context);
    ++s->signals;
    s->peer->Signal();
    return true;
  };
  ops.wait_own = [](void* context) {
    auto* s = static_cast<Side*>(context);
    ++s->waits;
    s->own->Wait();
    return true;
  };
  return ops;
}

uint8_t ByteAt(uint64_t index) {
  uint64_t x = index * 0x9e3779b97f4a7c15ull;
  return static_cast<uint8_t>(x >> 56);
}

uint64_t Fnv(uint64_t hash, const uint8_t* bytes, size_t length) {
  for (size_t i = 0; i < length; ++i) hash = (hash ^ bytes[i]) * 0x100000001b3ull;
  return hash;
}

TEST(RingStream, TwoThreadsStreamSixteenMiB) {
  auto size = ring::RequiredRegionSize(1, kSlotCount);
  ASSERT_TRUE(size.ok());
  TestRegion region(size.value());
  ASSERT_TRUE(ring::InitializeRing(region.data(), region.size(), 1, kSlotCount).ok());
  FakeNotify writer_notify, reader_notify;
  Side writer_side{&reader_notify, &writer_notify};
  Side reader_side{&writer_notify, &reader_notify};
  auto writer = RingWriter::Attach(region.data(), region.size(), 1, FakeOps(&writer_side));
  auto reader = RingReader::Attach(region.data(), region.size(), 1, FakeOps(&reader_side));
  ASSERT_TRUE(writer.ok());
  ASSERT_TRUE(reader.ok());

  uint64_t sent_sum = 0xcbf29ce484222325ull;
  std::thread producer([&] {
    std::vector<uint8_t> chunk(10007);
    uint64_t sent = 0;
    while (sent < kStreamBytes) {
      size_t n = std::min<uint64_t>(chunk.size() - (sent % 7) * 1000, kStreamBytes - sent);
      for (size_t i = 0; i < n; ++i) chunk[i] = ByteAt(sent + i);
      sent_sum = Fnv(sent_sum, chunk.data(), n);
      ASSERT_TRUE(writer.value().WriteAll(chunk.data(), n).ok());
      sent += n;
    }
  });
  uint64_t received = 0, mismatches = 0, received_sum = 0xcbf29ce484222325ull;
  std::vector<uint8_t> buffer(3001);
  while (received < kStreamBytes) {
    auto got = reader.value().ReadSome(buffer.data(), buffer.size());
    ASSERT_TRUE(got.ok());
    ASSERT_GE(got.value(), 1u);
    for (size_t i = 0; i < got.value(); ++i) mismatches += buffer[i] != ByteAt(received + i);
    received_sum = Fnv(received_sum, buffer.data(), got.value());
    received += got.value();
  }
  producer.join();
  EXPECT_EQ(received, kStreamBytes);
  EXPECT_EQ(mismatches, 0u);
  EXPECT_EQ(received_sum, sent_sum);
  EXPECT_TRUE(region.GuardIntact());
  // Both sides really slept and were woken (a 4 KiB ring cannot hold 16 MiB).
  EXPECT_GT(writer_side.waits + reader_side.waits, 0u);
  EXPECT_GT(writer_side.signals + reader_side.signals, 0u);
}

TEST(RingStream, CorruptPeerIndexFailsTheCall) {
  auto size = ring::RequiredRegionSize(1, 64);
  ASSERT_TRUE(size.ok());
  TestRegion region(size.value());
  ASSERT_TRUE(ring::InitializeRing(region.data(), region.size(), 1, 64).ok());
  FakeNotify a, b;
  Side side{&a, &b};
  auto reader = RingReader::Attach(region.data(), region.size(), 1, FakeOps(&side));
  ASSERT_TRUE(reader.ok());
  // The "producer" claims 1000 filled slots in a 64-slot ring.
  reinterpret_cast<ring::RingHeader*>(region.data())->head = 1000;
  uint8_t buffer[16];
  auto got = reader.value().ReadSome(buffer, sizeof(buffer));
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.error(), RingStreamError::kRing);
  EXPECT_EQ(reader.value().ring_error(), ring::Error::kCorruptIndices);
}

TEST(RingStream, FailingWaitEndsTheCall) {
  auto size = ring::RequiredRegionSize(1, 64);
  ASSERT_TRUE(size.ok());
  TestRegion region(size.value());
  ASSERT_TRUE(ring::InitializeRing(region.data(), region.size(), 1, 64).ok());
  RingWakeOps failing;
  failing.signal_peer = [](void*) { return true; };
  failing.wait_own = [](void*) { return false; };
  auto reader = RingReader::Attach(region.data(), region.size(), 1, failing);
  ASSERT_TRUE(reader.ok());
  uint8_t buffer[16];
  auto got = reader.value().ReadSome(buffer, sizeof(buffer));  // empty: it would sleep
  ASSERT_FALSE(got.ok());
  EXPECT_EQ(got.error(), RingStreamError::kWakeFailed);
  auto writer = RingWriter::Attach(region.data(), region.size(), 1, failing);
  ASSERT_TRUE(writer.ok());
  uint8_t data[100] = {};
  auto wrote = writer.value().WriteAll(data, sizeof(data));  // 64 fit, then it would sleep
  ASSERT_FALSE(wrote.ok());
  EXPECT_EQ(wrote.error(), RingStreamError::kWakeFailed);
}

}  // namespace
}  // namespace hiillos::rt
