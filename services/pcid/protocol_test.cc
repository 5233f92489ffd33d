// services/pcid/protocol_test.cc — which configuration-space accesses pcid lets a claimant make
// (protocol::ConfigAccessAllowed) and the function address packing.
#include "services/pcid/protocol.h"

#include "gtest/gtest.h"

namespace hiillos::pcid::protocol {
namespace {

TEST(ConfigAccess, CapabilitiesAndExtendedSpaceAreOpen) {
  EXPECT_TRUE(ConfigAccessAllowed(0x40, 1, false));
  EXPECT_TRUE(ConfigAccessAllowed(0x40, 4, true));
  EXPECT_TRUE(ConfigAccessAllowed(0x100, 2, true));
  EXPECT_TRUE(ConfigAccessAllowed(0xffc, 4, false));
}

TEST(ConfigAccess, OnlyCommandStatusAndTheCapabilityPointerInTheHeader) {
  EXPECT_TRUE(ConfigAccessAllowed(0x04, 2, true));   // command
  EXPECT_TRUE(ConfigAccessAllowed(0x06, 2, false));  // status
  EXPECT_TRUE(ConfigAccessAllowed(0x04, 4, true));
  EXPECT_TRUE(ConfigAccessAllowed(0x34, 1, false));
  EXPECT_FALSE(ConfigAccessAllowed(0x34, 1, true));  // read-only
  EXPECT_FALSE(ConfigAccessAllowed(0x34, 4, false));
  EXPECT_FALSE(ConfigAccessAllowed(0x10, 4, false));  // BAR0
  EXPECT_FALSE(ConfigAccessAllowed(0x10, 4, true));
  EXPECT_FALSE(ConfigAccessAllowed(0x18, 1, true));  // a bridge's bus numbers
  EXPECT_FALSE(ConfigAccessAllowed(0x00, 4, false));
  EXPECT_FALSE(ConfigAccessAllowed(0x08, 1, false));
}

TEST(ConfigAccess, WidthAlignmentAndRange) {
  EXPECT_FALSE(ConfigAccessAllowed(0x40, 3, false));
  EXPECT_FALSE(ConfigAccessAllowed(0x40, 8, false));
  EXPECT_FALSE(ConfigAccessAllowed(0x41, 2, false));
  EXPECT_FALSE(ConfigAccessAllowed(0x42, 4, true));
  EXPECT_FALSE(ConfigAccessAllowed(0x1000, 1, false));
  EXPECT_FALSE(ConfigAccessAllowed(~uint64_t{0} - 3, 4, false));
}

TEST(Address, Packs) {
  EXPECT_EQ(PackAddress(0, 0, 1, 0), 0x8u);
  EXPECT_EQ(PackAddress(1, 2, 31, 7), (uint64_t{1} << 16) | (2u << 8) | 0xffu);
}

}  // namespace
}  // namespace hiillos::pcid::protocol
