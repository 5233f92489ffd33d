// kernel/object/map_request_test.cc — MapRequest::Check: every rejection, in its documented
// order; the frame rights and page attributes of a valid request; FrameOrder and Priority.
#include "kernel/object/map_request.h"

#include "kernel/object/bounded_value.h"

#include <gtest/gtest.h>

namespace hiillos::object {
namespace {

using uapi::Status;
constexpr uint64_t kR = uapi::kMapRead, kW = uapi::kMapWrite, kX = uapi::kMapExecute;

Status Check(uint64_t vaddr, uint64_t size, uint64_t flags) {
  auto result = MapRequest::Check(vaddr, size, flags);
  return result.ok() ? Status::kOk : result.error();
}

TEST(MapRequestTest, AcceptsUserRangesWithValidFlags) {
  EXPECT_EQ(Check(0x1000, 0x1000, kR), Status::kOk);
  EXPECT_EQ(Check(0x40'0000, 0x20'0000, kR | kW), Status::kOk);
  EXPECT_EQ(Check(0x40'0000, 0x1000, kR | kX), Status::kOk);
  // The highest mappable page.
  EXPECT_EQ(Check(user::kUserEnd - 0x1000, 0x1000, kR), Status::kOk);
}

TEST(MapRequestTest, RejectsBadFlags) {
  EXPECT_EQ(Check(0x1000, 0x1000, 0), Status::kInvalidArgument);
  EXPECT_EQ(Check(0x1000, 0x1000, kW), Status::kInvalidArgument);  // no read
  EXPECT_EQ(Check(0x1000, 0x1000, kR | 8), Status::kInvalidArgument);
  EXPECT_EQ(Check(0x1000, 0x1000, kR | (1ull << 63)), Status::kInvalidArgument);
  EXPECT_EQ(Check(0x1000, 0x1000, kR | kW | kX), Status::kPermissionDenied);
}

TEST(MapRequestTest, RejectsBadRanges) {
  EXPECT_EQ(Check(0, 0x1000, kR), Status::kInvalidArgument);  // null page
  EXPECT_EQ(Check(0x1001, 0x1000, kR), Status::kInvalidArgument);
  EXPECT_EQ(Check(0x1000, 0, kR), Status::kInvalidArgument);
  EXPECT_EQ(Check(0x1000, 0x1800, kR), Status::kInvalidArgument);
  EXPECT_EQ(Check(user::kUserEnd, 0x1000, kR), Status::kInvalidArgument);  // last page
  EXPECT_EQ(Check(user::kUserEnd - 0x1000, 0x2000, kR), Status::kInvalidArgument);
  EXPECT_EQ(Check(0xffff'8000'0000'0000ull, 0x1000, kR), Status::kInvalidArgument);  // kernel
  EXPECT_EQ(Check(0x0000'8000'0000'0000ull, 0x1000, kR), Status::kInvalidArgument);  // hole
  EXPECT_EQ(Check(0xffff'ffff'ffff'f000ull, 0x2000, kR), Status::kInvalidArgument);  // wraps
  // Bad arguments are reported before W^X.
  EXPECT_EQ(Check(0x1001, 0x1000, kR | kW | kX), Status::kInvalidArgument);
}

MapRequest Valid(uint64_t flags, uint64_t vaddr = 0x1000, uint64_t size = 0x1000) {
  auto request = MapRequest::Check(vaddr, size, flags);
  EXPECT_TRUE(request.ok());
  return request.value();
}

TEST(MapRequestTest, KeepsItsFields) {
  MapRequest request = Valid(kR | kW, 0x40'0000, 0x20'0000);
  EXPECT_EQ(request.vaddr(), 0x40'0000u);
  EXPECT_EQ(request.size(), 0x20'0000u);
  EXPECT_EQ(request.flags(), kR | kW);
}

TEST(MapRequestTest, FrameRightsFollowFlags) {
  using uapi::Rights;
  EXPECT_EQ(Valid(kR).FrameRights(), Rights::kMap | Rights::kRead);
  EXPECT_EQ(Valid(kR | kW).FrameRights(), Rights::kMap | Rights::kRead | Rights::kWrite);
  EXPECT_EQ(Valid(kR | kX).FrameRights(), Rights::kMap | Rights::kRead | Rights::kExecute);
}

TEST(MapRequestTest, AttributesFollowFlags) {
  paging::Attributes ro = Valid(kR).Attributes(false);
  EXPECT_TRUE(ro.user);
  EXPECT_FALSE(ro.writable);
  EXPECT_FALSE(ro.executable);
  EXPECT_FALSE(ro.uncached);
  EXPECT_TRUE(Valid(kR | kW).Attributes(false).writable);
  EXPECT_TRUE(Valid(kR | kX).Attributes(false).executable);
  EXPECT_TRUE(Valid(kR).Attributes(true).uncached);
}

TEST(BoundedValueTest, ChecksTheRange) {
  EXPECT_EQ(FrameOrder::Check(0).value().value(), 0u);
  EXPECT_EQ(FrameOrder::Check(uapi::kMaxFrameOrder).value().value(), uapi::kMaxFrameOrder);
  EXPECT_EQ(FrameOrder::Check(uapi::kMaxFrameOrder + 1).error(), Status::kInvalidArgument);
  EXPECT_EQ(FrameOrder::Check(~0ull).error(), Status::kInvalidArgument);
  EXPECT_EQ(Priority::Check(uapi::kMaxPriority).value().value(), uapi::kMaxPriority);
  EXPECT_EQ(Priority::Check(uapi::kMaxPriority + 1).error(), Status::kInvalidArgument);
  static_assert(Priority(2).value() == 2);
}

TEST(UserLayoutTest, RangeChecks) {
  EXPECT_TRUE(user::IsUserRange(0x1000, 0));
  EXPECT_TRUE(user::IsUserRange(user::kUserEnd, 0));
  EXPECT_FALSE(user::IsUserRange(0, 1));
  EXPECT_FALSE(user::IsUserRange(0xfff, 1));
  EXPECT_TRUE(user::IsUserRange(user::kUserEnd - 8, 8));
  EXPECT_FALSE(user::IsUserRange(user::kUserEnd - 8, 9));
  EXPECT_FALSE(user::IsUserRange(0x1000, ~0ull));
  EXPECT_FALSE(user::IsUserRange(~0ull - 4, 8));
  EXPECT_TRUE(user::IsUserAddress(0));
  EXPECT_TRUE(user::IsUserAddress(0x0000'7fff'ffff'ffffull));
  EXPECT_FALSE(user::IsUserAddress(0x0000'8000'0000'0000ull));
  EXPECT_FALSE(user::IsUserAddress(0xffff'8000'0000'0000ull));
}

}  // namespace
}  // namespace hiillos::object
