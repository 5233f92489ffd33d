// lib/virtio/pci_transport_test.cc — capability selection and the virtio-pci initialisation
// sequence against the simulated device, including a device that refuses FEATURES_OK.
#include "lib/virtio/pci_transport.h"

#include <gtest/gtest.h>

#include <vector>

#include "lib/virtio/blk_config.h"
#include "lib/virtio/testing/driver_stack.h"
#include "lib/virtio/testing/simulated_blk_device.h"

namespace hiillos::virtio {
namespace {

using testing::DriverStack;
using testing::SimulatedBlkDevice;

constexpr uint8_t kCommon = static_cast<uint8_t>(PciCapType::kCommon);
constexpr uint8_t kNotify = static_cast<uint8_t>(PciCapType::kNotify);
constexpr uint8_t kIsr = static_cast<uint8_t>(PciCapType::kIsr);
constexpr uint8_t kDevice = static_cast<uint8_t>(PciCapType::kDevice);

TEST(PciCapabilities, PicksTheFirstUsableOfEachType) {
  const uint64_t bars[kPciBarCount] = {0, 0x1000, 0, 0, 0x4000, 0};
  const std::vector<PciCapability> caps = {
      {kCommon, 0, 0, 64, 0},       // BAR 0 absent: skipped
      {kCommon, 4, 0x3fe0, 64, 0},  // reaches past BAR 4: skipped
      {kCommon, 4, 0x100, 40, 0},   // shorter than the common structure: skipped
      {kCommon, 4, 0x200, 56, 0},   // first usable
      {kCommon, 1, 0, 64, 0},       // usable but later
      {7, 4, 0, 4, 0},              // unknown type: ignored
      {kNotify, 9, 0, 4, 2},        // BAR 9 does not exist
      {kNotify, 1, 0x800, 0x800, 4},
      {kIsr, 4, 0x1000, 1, 0},
      {kDevice, 4, 0x2000, 0x20, 0},
  };
  const auto found = LocatePciStructures(caps.data(), caps.size(), bars);
  ASSERT_TRUE(found.ok());
  EXPECT_EQ(found.value().common.bar, 4);
  EXPECT_EQ(found.value().common.offset, 0x200u);
  EXPECT_EQ(found.value().notify.bar, 1);
  EXPECT_EQ(found.value().notify_off_multiplier, 4u);
  EXPECT_EQ(found.value().isr.offset, 0x1000u);
  EXPECT_EQ(found.value().device.length, 0x20u);
}

TEST(PciCapabilities, MissingOrBadStructuresAreErrors) {
  const uint64_t bars[kPciBarCount] = {0x4000, 0, 0, 0, 0, 0};
  std::vector<PciCapability> caps = {{kCommon, 0, 0, 64, 0}, {kNotify, 0, 0x100, 4, 0}};
  EXPECT_EQ(LocatePciStructures(caps.data(), caps.size(), bars).error(), Error::kMissingCapability);
  caps.push_back({kIsr, 0, 0x200, 1, 0});
  EXPECT_TRUE(LocatePciStructures(caps.data(), caps.size(), bars).ok());
  EXPECT_EQ(LocatePciStructures(caps.data(), caps.size(), bars).value().device.length, 0u);
  caps[1].notify_off_multiplier = 6;  // not a power of two
  EXPECT_EQ(LocatePciStructures(caps.data(), caps.size(), bars).error(), Error::kBadCapability);
  caps[1].offset = 0xffffffff;  // offset + length overflows past the BAR: skipped
  EXPECT_EQ(LocatePciStructures(caps.data(), caps.size(), bars).error(), Error::kMissingCapability);
}

TEST(PciTransport, InitialisesTheDeviceInOrder) {
  SimulatedBlkDevice::Options options;
  options.size_max = 4096;
  options.seg_max = 8;
  DriverStack stack(options);
  ASSERT_TRUE(stack.Start().ok());
  const uint8_t expected = kStatusAcknowledge | kStatusDriver | kStatusFeaturesOk | kStatusDriverOk;
  EXPECT_EQ(stack.device.status(), expected);
  EXPECT_EQ(stack.transport.Status(), expected);
  EXPECT_NE(stack.negotiated & kFeatureVersion1, 0u);
  EXPECT_NE(stack.negotiated & kFeatureEventIdx, 0u);
  EXPECT_EQ(stack.device.driver_features(), stack.negotiated);
  // Queue: the device's 128 entries (less than asked), doorbell at offset + 3 * 4.
  EXPECT_EQ(stack.doorbell.queue.size, 128);
  EXPECT_EQ(stack.doorbell.queue.notify_offset, SimulatedBlkDevice::kNotifyOffset + 12);
  const BlockConfig& config = stack.driver->config();
  EXPECT_EQ(config.capacity_sectors, 2048u);
  EXPECT_EQ(config.block_size, 4096u);
  EXPECT_EQ(config.size_max, 4096u);
  EXPECT_EQ(config.seg_max, 8u);
  EXPECT_TRUE(config.flush);
  EXPECT_FALSE(config.read_only);
  stack.transport.Notify(stack.doorbell.queue);
  EXPECT_EQ(stack.device.notifications(), 1u);
  EXPECT_EQ(stack.device.driver_violations(), 0u);
}

TEST(PciTransport, OnlyNegotiatesWhatBothSidesWant) {
  SimulatedBlkDevice::Options options;
  options.offered_features = kBlkFeatureReadOnly | (1ull << 40);
  DriverStack stack(options);
  ASSERT_TRUE(stack.Start(256, kFeatureVersion1 | kBlkFeatureReadOnly | kBlkFeatureSegMax).ok());
  EXPECT_EQ(stack.negotiated, kFeatureVersion1 | kBlkFeatureReadOnly);
  EXPECT_TRUE(stack.driver->config().read_only);
  EXPECT_FALSE(stack.driver->config().flush);
}

TEST(PciTransport, RefusedFeaturesOkFailsTheDevice) {
  SimulatedBlkDevice::Options options;
  options.refuse_features_ok = true;
  DriverStack stack(options);
  EXPECT_EQ(stack.Start().error(), Error::kFeaturesRejected);
  EXPECT_NE(stack.device.status() & kStatusFailed, 0);
  EXPECT_EQ(stack.device.status() & kStatusDriverOk, 0);
}

TEST(PciTransport, DeviceWithoutVersion1IsRefused) {
  SimulatedBlkDevice::Options options;
  options.use_default_features = false;
  options.offered_features = kFeatureEventIdx | kBlkFeatureFlush;
  DriverStack stack(options);
  EXPECT_EQ(stack.Start().error(), Error::kNoVersion1);
  EXPECT_NE(stack.device.status() & kStatusFailed, 0);
}

TEST(PciTransport, RejectedMsixVectorIsAnError) {
  SimulatedBlkDevice::Options options;
  options.accept_msix = false;
  DriverStack stack(options);
  EXPECT_EQ(stack.Start().error(), Error::kMsixVectorRejected);
}

TEST(PciTransport, DoorbellOutsideTheNotifyStructureIsAnError) {
  SimulatedBlkDevice::Options options;
  options.queue_notify_off = 0x800;  // * 4 = 0x2000, beyond the 0x1000-byte structure
  DriverStack stack(options);
  EXPECT_EQ(stack.Start().error(), Error::kBadCapability);
}

TEST(PciTransport, QueueSizeIsRoundedToAPowerOfTwo) {
  SimulatedBlkDevice::Options options;
  options.queue_max_size = 100;
  DriverStack stack(options);
  ASSERT_TRUE(stack.Start().ok());
  EXPECT_EQ(stack.doorbell.queue.size, 64);
}

TEST(PciTransport, DeviceNeedingResetIsNotStarted) {
  DriverStack stack(SimulatedBlkDevice::Options{});
  ASSERT_TRUE(stack.transport.Negotiate(kBlkWantedFeatures).ok());
  stack.device.SetStatusBits(kStatusDeviceNeedsReset);
  EXPECT_EQ(stack.transport.DriverOk().error(), Error::kDeviceNeedsReset);
  EXPECT_NE(stack.device.status() & kStatusFailed, 0);
  // A reset clears everything.
  ASSERT_TRUE(stack.transport.Reset().ok());
  EXPECT_EQ(stack.device.status(), 0);
}

TEST(PciTransport, DeviceConfigReadsAreBounded) {
  DriverStack stack(SimulatedBlkDevice::Options{});
  EXPECT_EQ(stack.transport.ReadDeviceConfig(0, 8).value(), 2048u);
  EXPECT_EQ(stack.transport.ReadDeviceConfig(60, 8).error(), Error::kBadCapability);
  EXPECT_EQ(stack.transport.ReadDeviceConfig(0, 3).error(), Error::kBadCapability);
  EXPECT_EQ(stack.transport.QueueCount(), 1);
  EXPECT_EQ(stack.transport.SetUpQueue(1, 64, QueueAddresses{}, kMsiNoVector).error(),
            Error::kQueueUnavailable);
}

}  // namespace
}  // namespace hiillos::virtio
