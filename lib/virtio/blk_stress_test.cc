// lib/virtio/blk_stress_test.cc — a driver thread and a device thread sharing the rings: the
// device thread serves chains in random order and batch sizes while the driver thread runs
// random blocking reads and writes (checked against a model disk) and bursts of asynchronous
// requests that fill the queue. Under ThreadSanitizer a missing acquire/release between the
// two sides fails it; a lost completion hangs it (and the Bazel timeout fails it).
#include <gtest/gtest.h>

#include <atomic>
#include <random>
#include <set>
#include <thread>
#include <vector>

#include "lib/virtio/blk_driver.h"
#include "lib/virtio/testing/driver_stack.h"

namespace hiillos::virtio {
namespace {

using testing::DmaArena;
using testing::DriverStack;
using testing::SimulatedBlkDevice;

constexpr uint64_t kCapacity = 2048;

class DeviceThread {
 public:
  explicit DeviceThread(SimulatedBlkDevice& device)
      : thread_([this, &device] {
          std::mt19937 rng(99);
          while (!stop_.load(std::memory_order_acquire)) {
            device.Fetch();
            if (device.Complete(1 + rng() % 6, &rng) == 0) std::this_thread::yield();
          }
        }) {}
  ~DeviceThread() {
    stop_.store(true, std::memory_order_release);
    thread_.join();
  }

 private:
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

TEST(BlockDriverStress, DriverAndDeviceThreadsShareTheRings) {
  SimulatedBlkDevice::Options options;
  options.capacity_sectors = kCapacity;
  options.size_max = 2048;
  options.seg_max = 4;
  options.queue_max_size = 32;
  DriverStack stack(options);
  ASSERT_TRUE(stack.Start().ok());
  stack.doorbell.device_thread = true;
  BlockDriver& driver = *stack.driver;
  std::vector<uint8_t> model(kCapacity * 512, 0);
  uint8_t* buffer = stack.arena.Allocate(128 * 512);
  std::mt19937 rng(5);
  {
    DeviceThread device_thread(stack.device);
    for (int round = 0; round < 400; ++round) {
      const uint64_t count = 1 + rng() % 128;
      const uint64_t sector = rng() % (kCapacity - count + 1);
      if (rng() % 2 == 0) {
        for (uint64_t i = 0; i < count * 512; ++i) buffer[i] = static_cast<uint8_t>(rng());
        ASSERT_TRUE(driver.Write(sector, count, DmaArena::AddressOf(buffer)).ok());
        memcpy(model.data() + sector * 512, buffer, count * 512);
      } else {
        ASSERT_TRUE(driver.Read(sector, count, DmaArena::AddressOf(buffer)).ok());
        ASSERT_EQ(memcmp(buffer, model.data() + sector * 512, count * 512), 0) << round;
      }
      if (round % 50 == 0) ASSERT_TRUE(driver.Flush().ok());
    }
    // Asynchronous bursts: keep the queue full while the device drains it.
    std::set<uint64_t> outstanding;
    uint64_t next_cookie = 0;
    while (next_cookie < 3000 || !outstanding.empty()) {
      while (next_cookie < 3000) {
        const uint64_t sector = next_cookie % kCapacity;
        const BlockRequest request{BlkRequestType::kIn, sector,
                                   DmaArena::AddressOf(buffer) + (next_cookie % 128) * 512, 512};
        const auto submitted = driver.Submit(request, next_cookie);
        if (!submitted.ok()) {
          ASSERT_EQ(submitted.error(), Error::kQueueFull);
          break;
        }
        outstanding.insert(next_cookie++);
      }
      driver.Kick();
      BlockCompletion completions[8];
      const auto collected = driver.Collect(completions, 8);
      ASSERT_TRUE(collected.ok());
      for (uint32_t i = 0; i < collected.value(); ++i) {
        ASSERT_TRUE(completions[i].status.ok());
        ASSERT_EQ(outstanding.erase(completions[i].cookie), 1u);
      }
      if (collected.value() == 0 && !stack.queue->EnableInterrupts()) std::this_thread::yield();
    }
  }
  EXPECT_EQ(stack.device.disk(), model);
  EXPECT_EQ(stack.device.driver_violations(), 0u);
  EXPECT_EQ(stack.queue->free_descriptors(), stack.queue->size());
}

}  // namespace
}  // namespace hiillos::virtio
