// lib/virtio/blk_driver_test.cc — the virtio-blk driver end to end against the simulated device:
// transfers checked byte for byte, out-of-order completion, queue full, flush, GET_ID, bounds,
// and every fault the device can inject.
#include "lib/virtio/blk_driver.h"

#include <gtest/gtest.h>

#include <random>
#include <set>
#include <vector>

#include "lib/virtio/testing/driver_stack.h"

namespace hiillos::virtio {
namespace {

using testing::DmaArena;
using testing::DriverStack;
using testing::SimulatedBlkDevice;

SimulatedBlkDevice::Options LimitedDevice() {
  SimulatedBlkDevice::Options options;
  options.capacity_sectors = 4096;
  options.size_max = 4096;
  options.seg_max = 8;
  options.queue_max_size = 64;
  return options;
}

void FillRandom(uint8_t* bytes, size_t size, uint32_t seed) {
  std::mt19937 rng(seed);
  for (size_t i = 0; i < size; ++i) bytes[i] = static_cast<uint8_t>(rng());
}

TEST(BlockDriver, WritesThenReadsBackManySectorsInSplitRequests) {
  DriverStack stack(LimitedDevice());
  ASSERT_TRUE(stack.Start().ok());
  std::mt19937 rng(1);
  stack.doorbell.rng = &rng;
  stack.doorbell.serve_per_wait = 3;  // the device lags and completes out of order
  BlockDriver& driver = *stack.driver;
  EXPECT_EQ(driver.MaxBytesPerRequest(), 8u * 4096);

  constexpr uint64_t kSectors = 1500;
  uint8_t* out = stack.arena.Allocate(kSectors * 512);
  uint8_t* in = stack.arena.Allocate(kSectors * 512);
  FillRandom(out, kSectors * 512, 7);
  ASSERT_TRUE(driver.Write(33, kSectors, DmaArena::AddressOf(out)).ok());
  EXPECT_EQ(memcmp(stack.device.disk().data() + 33 * 512, out, kSectors * 512), 0);
  ASSERT_TRUE(driver.Read(33, kSectors, DmaArena::AddressOf(in)).ok());
  EXPECT_EQ(memcmp(in, out, kSectors * 512), 0);

  // 1500 sectors = 750 KiB in requests of at most 32 KiB (8 segments of 4 KiB) each way.
  EXPECT_EQ(stack.device.requests(), 2u * ((kSectors * 512 + 32767) / 32768));
  EXPECT_EQ(stack.device.max_data_segments(), 8u);
  EXPECT_EQ(stack.device.max_segment_bytes(), 4096u);
  EXPECT_EQ(stack.device.driver_violations(), 0u);
  EXPECT_EQ(driver.requests_in_flight(), 0u);
  EXPECT_EQ(stack.queue->free_descriptors(), stack.queue->size());
}

TEST(BlockDriver, RandomTransfersMatchAModelDisk) {
  DriverStack stack(LimitedDevice());
  ASSERT_TRUE(stack.Start().ok());
  std::mt19937 rng(2);
  stack.doorbell.rng = &rng;
  std::vector<uint8_t> model(4096 * 512, 0);
  uint8_t* buffer = stack.arena.Allocate(256 * 512);
  for (int round = 0; round < 300; ++round) {
    stack.doorbell.serve_per_wait = 1 + rng() % 5;
    const uint64_t count = 1 + rng() % 256;
    const uint64_t sector = rng() % (4096 - count + 1);
    if (rng() % 2 == 0) {
      FillRandom(buffer, count * 512, static_cast<uint32_t>(round));
      ASSERT_TRUE(stack.driver->Write(sector, count, DmaArena::AddressOf(buffer)).ok());
      memcpy(model.data() + sector * 512, buffer, count * 512);
    } else {
      ASSERT_TRUE(stack.driver->Read(sector, count, DmaArena::AddressOf(buffer)).ok());
      ASSERT_EQ(memcmp(buffer, model.data() + sector * 512, count * 512), 0) << round;
    }
  }
  EXPECT_EQ(stack.device.disk(), model);
  EXPECT_EQ(stack.device.driver_violations(), 0u);
}

TEST(BlockDriver, WithoutLimitsOneRequestCarriesAWholeTransfer) {
  SimulatedBlkDevice::Options options;
  options.capacity_sectors = 4096;
  DriverStack stack(options);
  ASSERT_TRUE(stack.Start().ok());
  uint8_t* buffer = stack.arena.Allocate(4000 * 512);
  ASSERT_TRUE(stack.driver->Write(0, 4000, DmaArena::AddressOf(buffer)).ok());
  EXPECT_EQ(stack.device.requests(), 1u);
  EXPECT_EQ(stack.device.max_data_segments(), 1u);
}

TEST(BlockDriver, SegmentsPerRequestAreCappedOnLargeQueues) {
  SimulatedBlkDevice::Options options;
  options.capacity_sectors = 4096;
  options.size_max = 512;  // no seg_max: only the queue and the driver's cap limit segments
  options.queue_max_size = 1024;
  DriverStack stack(options);
  ASSERT_TRUE(stack.Start(1024).ok());
  EXPECT_EQ(stack.doorbell.queue.size, 1024);
  EXPECT_EQ(stack.driver->MaxBytesPerRequest(), BlockDriver::kMaxDataSegments * 512u);
  uint8_t* out = stack.arena.Allocate(1000 * 512);
  uint8_t* in = stack.arena.Allocate(1000 * 512);
  FillRandom(out, 1000 * 512, 11);
  ASSERT_TRUE(stack.driver->Write(7, 1000, DmaArena::AddressOf(out)).ok());
  ASSERT_TRUE(stack.driver->Read(7, 1000, DmaArena::AddressOf(in)).ok());
  EXPECT_EQ(memcmp(in, out, 1000 * 512), 0);
  EXPECT_EQ(stack.device.max_data_segments(), BlockDriver::kMaxDataSegments);
  EXPECT_EQ(stack.device.requests(), 2u * 4);  // 1000 sectors in 254-sector requests
  EXPECT_EQ(stack.device.driver_violations(), 0u);
}

TEST(BlockDriver, AsynchronousRequestsFillTheQueueAndCompleteOutOfOrder) {
  DriverStack stack(LimitedDevice());
  ASSERT_TRUE(stack.Start().ok());
  BlockDriver& driver = *stack.driver;
  uint8_t* buffer = stack.arena.Allocate(64 * 512);
  // Each one-sector read takes 3 descriptors; 64 descriptors hold 21 such requests.
  uint64_t submitted = 0;
  for (;;) {
    const BlockRequest request{BlkRequestType::kIn, submitted,
                               DmaArena::AddressOf(buffer) + submitted * 512, 512};
    const auto result = driver.Submit(request, 1000 + submitted);
    if (!result.ok()) {
      EXPECT_EQ(result.error(), Error::kQueueFull);
      break;
    }
    ++submitted;
  }
  EXPECT_EQ(submitted, 21u);
  driver.Kick();
  EXPECT_EQ(stack.device.notifications(), 1u);  // one doorbell for the whole batch
  std::mt19937 rng(3);
  std::set<uint64_t> cookies;
  BlockCompletion completions[8];
  while (cookies.size() < submitted) {
    stack.device.Fetch();
    stack.device.Complete(1 + rng() % 4, &rng);
    const uint32_t got = driver.Collect(completions, 8).value();
    for (uint32_t i = 0; i < got; ++i) {
      EXPECT_TRUE(completions[i].status.ok());
      EXPECT_TRUE(cookies.insert(completions[i].cookie).second);
    }
  }
  EXPECT_EQ(*cookies.begin(), 1000u);
  EXPECT_EQ(*cookies.rbegin(), 1000u + submitted - 1);
  EXPECT_EQ(driver.requests_in_flight(), 0u);
  EXPECT_GT(stack.device.interrupts(), 0u);
}

TEST(BlockDriver, FlushAndGetId) {
  DriverStack stack(LimitedDevice());
  ASSERT_TRUE(stack.Start().ok());
  ASSERT_TRUE(stack.driver->Flush().ok());
  ASSERT_TRUE(stack.driver->Flush().ok());
  EXPECT_EQ(stack.device.flushes(), 2u);
  uint8_t* id = stack.arena.Allocate(kBlkIdBytes);
  ASSERT_TRUE(stack.driver->GetId(DmaArena::AddressOf(id)).ok());
  EXPECT_EQ(std::string(reinterpret_cast<char*>(id), kBlkIdBytes), "hiillos-sim-disk-001");

  SimulatedBlkDevice::Options no_flush;
  no_flush.use_default_features = false;
  no_flush.offered_features = kFeatureVersion1;
  DriverStack plain(no_flush);
  ASSERT_TRUE(plain.Start().ok());
  EXPECT_EQ(plain.driver->Flush().error(), Error::kUnsupported);
  EXPECT_EQ(plain.device.requests(), 0u);
}

TEST(BlockDriver, BoundsAreCheckedBeforeAnythingReachesTheDevice) {
  DriverStack stack(LimitedDevice());
  ASSERT_TRUE(stack.Start().ok());
  BlockDriver& driver = *stack.driver;
  uint8_t* buffer = stack.arena.Allocate(8 * 512);
  const uint64_t address = DmaArena::AddressOf(buffer);
  EXPECT_EQ(driver.Read(4095, 2, address).error(), Error::kOutOfRange);
  EXPECT_EQ(driver.Read(4096, 1, address).error(), Error::kOutOfRange);
  EXPECT_EQ(driver.Read(0, 0, address).error(), Error::kOutOfRange);
  EXPECT_EQ(driver.Read(~0ull, 2, address).error(), Error::kOutOfRange);
  EXPECT_EQ(driver.Write(1, ~0ull / 256, address).error(), Error::kOutOfRange);
  EXPECT_EQ(driver.Submit({BlkRequestType::kIn, 0, address, 100}, 0).error(), Error::kOutOfRange);
  EXPECT_EQ(driver.Submit({BlkRequestType::kIn, 0, address, 64 * 4096}, 0).error(),
            Error::kRequestTooLarge);
  EXPECT_EQ(driver.Submit({BlkRequestType::kFlush, 0, address, 512}, 0).error(),
            Error::kOutOfRange);
  EXPECT_TRUE(driver.Read(4095, 1, address).ok());
  EXPECT_EQ(stack.device.requests(), 1u);

  SimulatedBlkDevice::Options read_only = LimitedDevice();
  read_only.offered_features = kBlkFeatureReadOnly;
  DriverStack ro(read_only);
  ASSERT_TRUE(ro.Start().ok());
  EXPECT_EQ(ro.driver->Write(0, 1, address).error(), Error::kReadOnly);
  EXPECT_TRUE(ro.driver->Read(0, 1, address).ok());
}

TEST(BlockDriver, DeviceErrorsReachTheCallerAndTheDriverRecovers) {
  DriverStack stack(LimitedDevice());
  ASSERT_TRUE(stack.Start().ok());
  BlockDriver& driver = *stack.driver;
  uint8_t* buffer = stack.arena.Allocate(512 * 512);
  const uint64_t address = DmaArena::AddressOf(buffer);

  stack.device.FailSectors(300, 301);
  EXPECT_EQ(driver.Write(0, 512, address).error(), Error::kIoError);
  EXPECT_EQ(driver.requests_in_flight(), 0u);  // every other piece was still collected
  stack.device.FailSectors(0, 0);
  EXPECT_TRUE(driver.Write(0, 512, address).ok());

  stack.device.SetNextStatus(kBlkStatusUnsupported);
  EXPECT_EQ(driver.Read(0, 1, address).error(), Error::kUnsupported);
  stack.device.SetNextStatus(0x7f);  // not a status the spec defines
  EXPECT_EQ(driver.Read(0, 1, address).error(), Error::kDeviceProtocol);
  stack.device.CorruptNextUsedLength(0x7fffffff);  // more than the buffers hold
  EXPECT_EQ(driver.Read(0, 1, address).error(), Error::kDeviceProtocol);
  stack.device.CorruptNextUsedLength(0);  // did not even write the status byte
  EXPECT_EQ(driver.Read(0, 1, address).error(), Error::kDeviceProtocol);
  EXPECT_TRUE(driver.Read(0, 1, address).ok());
  EXPECT_EQ(stack.queue->free_descriptors(), stack.queue->size());
}

TEST(BlockDriver, BadUsedIdBreaksTheQueue) {
  DriverStack stack(LimitedDevice());
  ASSERT_TRUE(stack.Start().ok());
  uint8_t* buffer = stack.arena.Allocate(512);
  stack.device.CorruptNextUsedId(5000);
  EXPECT_EQ(stack.driver->Read(0, 1, DmaArena::AddressOf(buffer)).error(), Error::kBadUsedId);
  EXPECT_EQ(stack.driver->Read(0, 1, DmaArena::AddressOf(buffer)).error(), Error::kQueueBroken);
  EXPECT_EQ(stack.driver->Flush().error(), Error::kQueueBroken);
}

TEST(BlockDriver, RunawayUsedIdxBreaksTheQueue) {
  DriverStack stack(LimitedDevice());
  ASSERT_TRUE(stack.Start().ok());
  uint8_t* buffer = stack.arena.Allocate(512);
  stack.device.AdvanceUsedIdxBy(40);
  EXPECT_EQ(stack.driver->Read(0, 1, DmaArena::AddressOf(buffer)).error(), Error::kBadUsedIndex);
  EXPECT_TRUE(stack.queue->broken());
}

TEST(BlockDriver, EventIdxSuppressesNotifications) {
  DriverStack stack(LimitedDevice());
  ASSERT_TRUE(stack.Start().ok());
  BlockDriver& driver = *stack.driver;
  uint8_t* buffer = stack.arena.Allocate(16 * 512);
  // Two batches without the device looking in between: the device's avail_event still asks
  // about the first chain, so the second batch needs no doorbell.
  for (uint64_t i = 0; i < 4; ++i) {
    ASSERT_TRUE(driver.Submit({BlkRequestType::kIn, i, DmaArena::AddressOf(buffer), 512}, i).ok());
  }
  driver.Kick();
  for (uint64_t i = 4; i < 8; ++i) {
    ASSERT_TRUE(driver.Submit({BlkRequestType::kIn, i, DmaArena::AddressOf(buffer), 512}, i).ok());
  }
  driver.Kick();
  EXPECT_EQ(stack.device.notifications(), 1u);
  stack.device.Fetch();  // the device has now seen 8 and asks about the 9th
  ASSERT_TRUE(driver.Submit({BlkRequestType::kIn, 8, DmaArena::AddressOf(buffer), 512}, 8).ok());
  driver.Kick();
  EXPECT_EQ(stack.device.notifications(), 2u);
}

}  // namespace
}  // namespace hiillos::virtio
