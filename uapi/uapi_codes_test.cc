// uapi/uapi_codes_test.cc — host tests of the uapi codes the capability table is built on:
// Rights (uapi/rights.h), Status (uapi/status.h) and ObjectType (uapi/object_type.h), whose
// enumerators, names and reserved marks come from one X-macro list each.
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "uapi/object_type.h"
#include "uapi/rights.h"
#include "uapi/status.h"

namespace hiillos::uapi {
namespace {

const Rights kEachRight[] = {Rights::kRead, Rights::kWrite, Rights::kExecute,
                             Rights::kMap,  Rights::kClone, Rights::kTransfer};

TEST(RightsTest, EachRightIsOneDistinctDefinedBit) {
  uint32_t seen = 0;
  for (Rights right : kEachRight) {
    EXPECT_EQ(__builtin_popcount(right.bits), 1);
    EXPECT_EQ(seen & right.bits, 0u);
    EXPECT_TRUE(right.IsValid());
    seen |= right.bits;
  }
  EXPECT_EQ(seen, Rights::kAll.bits);
  EXPECT_EQ(Rights::kNone.bits, 0u);
}

TEST(RightsTest, UndefinedBitsAreInvalid) {
  EXPECT_TRUE(Rights::kAll.IsValid());
  EXPECT_TRUE(Rights::kNone.IsValid());
  for (uint32_t bit = 6; bit < 32; ++bit) {
    EXPECT_FALSE(Rights{1u << bit}.IsValid()) << bit;
    EXPECT_FALSE((Rights::kRead | Rights{1u << bit}).IsValid()) << bit;
  }
}

TEST(RightsTest, SubsetRules) {
  Rights rw = Rights::kRead | Rights::kWrite;
  EXPECT_TRUE(Rights::kNone.IsSubsetOf(Rights::kNone));
  EXPECT_TRUE(Rights::kNone.IsSubsetOf(rw));
  EXPECT_TRUE(Rights::kRead.IsSubsetOf(rw));
  EXPECT_TRUE(rw.IsSubsetOf(rw));
  EXPECT_TRUE(rw.IsSubsetOf(Rights::kAll));
  EXPECT_FALSE(rw.IsSubsetOf(Rights::kRead));
  EXPECT_FALSE(Rights::kExecute.IsSubsetOf(rw));
  EXPECT_FALSE((Rights::kRead | Rights::kExecute).IsSubsetOf(rw));  // partly outside
  EXPECT_FALSE(Rights::kRead.IsSubsetOf(Rights::kNone));
  EXPECT_FALSE(Rights{1u << 31}.IsSubsetOf(Rights::kAll));
  EXPECT_TRUE(rw.Has(Rights::kWrite));
  EXPECT_TRUE(rw.Has(Rights::kNone));
  EXPECT_FALSE(rw.Has(Rights::kWrite | Rights::kMap));
  // Exhaustive over the defined bits: a ⊆ b exactly when a & b == a.
  for (uint32_t a = 0; a <= Rights::kAll.bits; ++a) {
    for (uint32_t b = 0; b <= Rights::kAll.bits; ++b) {
      ASSERT_EQ(Rights{a}.IsSubsetOf(Rights{b}), (a & b) == a) << a << " " << b;
    }
  }
}

TEST(RightsTest, Operators) {
  Rights rw = Rights::kRead | Rights::kWrite;
  EXPECT_EQ(rw.bits, 3u);
  EXPECT_EQ(rw & Rights::kWrite, Rights::kWrite);
  EXPECT_EQ(rw & Rights::kMap, Rights::kNone);
  EXPECT_TRUE(rw == (Rights::kWrite | Rights::kRead));
  EXPECT_FALSE(rw == Rights::kRead);
}

TEST(StatusTest, OkIsZeroAndEveryErrorIsPositiveWithAUniqueName) {
  EXPECT_EQ(static_cast<int64_t>(Status::kOk), 0);
  EXPECT_STREQ(StatusName(Status::kOk), "Ok");
  std::set<std::string> names;
  for (int64_t raw = 0; raw < kStatusCount; ++raw) {
    EXPECT_TRUE(IsKnownStatus(raw));
    std::string name = StatusName(static_cast<Status>(raw));
    EXPECT_NE(name, "Unknown") << raw;
    EXPECT_TRUE(names.insert(name).second) << name;
  }
  EXPECT_STREQ(StatusName(Status::kInvalidCapability), "InvalidCapability");
  EXPECT_STREQ(StatusName(Status::kNoSlots), "NoSlots");
}

TEST(StatusTest, UndefinedValuesAreUnknown) {
  for (int64_t raw : {int64_t{-1}, kStatusCount, int64_t{1000}, INT64_MIN, INT64_MAX}) {
    EXPECT_FALSE(IsKnownStatus(raw)) << raw;
    EXPECT_STREQ(StatusName(static_cast<Status>(raw)), "Unknown") << raw;
  }
}

TEST(ObjectTypeTest, NamesAreUniqueAndUndefinedValuesUnknown) {
  std::set<std::string> names;
  for (uint32_t raw = 0; raw < kObjectTypeCount; ++raw) {
    EXPECT_TRUE(IsKnownObjectType(raw));
    std::string name = ObjectTypeName(static_cast<ObjectType>(raw));
    EXPECT_NE(name, "Unknown");
    EXPECT_TRUE(names.insert(name).second) << name;
  }
  EXPECT_STREQ(ObjectTypeName(ObjectType::kNull), "Null");
  EXPECT_STREQ(ObjectTypeName(ObjectType::kIoPortRange), "IoPortRange");
  for (uint32_t raw : {kObjectTypeCount, 200u, 255u}) {
    EXPECT_FALSE(IsKnownObjectType(raw));
    EXPECT_STREQ(ObjectTypeName(static_cast<ObjectType>(raw)), "Unknown");
  }
}

TEST(StatusTest, ReservedCodesAreTheOnesNoCallReturnsYet) {
  for (int64_t raw = 0; raw < kStatusCount; ++raw) {
    auto status = static_cast<Status>(raw);
    // TimedOut, the last reserved one, is NotifyWaitUntil's: every code is in use now.
    EXPECT_FALSE(IsReservedStatus(status)) << StatusName(status);
  }
  EXPECT_FALSE(IsReservedStatus(static_cast<Status>(kStatusCount)));
}

TEST(ObjectTypeTest, ReservedTypesAreTheOnesTheKernelDoesNotMakeYet) {
  const ObjectType kImplemented[] = {
      ObjectType::kNull,     ObjectType::kMemory,      ObjectType::kFrame,
      ObjectType::kVmem,     ObjectType::kProcess,     ObjectType::kThread,
      ObjectType::kReceiver, ObjectType::kSender,      ObjectType::kReply,
      ObjectType::kNotify,   ObjectType::kIrqLine,     ObjectType::kIoPortRange,
      ObjectType::kLog,      ObjectType::kDeviceMemory};
  int implemented = 0;
  for (uint32_t raw = 0; raw < kObjectTypeCount; ++raw) {
    auto type = static_cast<ObjectType>(raw);
    bool is_implemented = false;
    for (ObjectType known : kImplemented) is_implemented |= known == type;
    implemented += is_implemented ? 1 : 0;
    EXPECT_EQ(IsReservedObjectType(type), !is_implemented) << ObjectTypeName(type);
  }
  EXPECT_EQ(implemented, 14);
  EXPECT_FALSE(IsReservedObjectType(ObjectType::kReceiver));
  EXPECT_FALSE(IsReservedObjectType(ObjectType::kIoPortRange));
}

}  // namespace
}  // namespace hiillos::uapi
