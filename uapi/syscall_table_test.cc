// uapi/syscall_table_test.cc — the syscall table's vocabulary (uapi/syscall_args.h) and a few rows
// of HIILLOS_SYSCALLS as the generated SyscallSpec sees them.
#include <gtest/gtest.h>

#include <type_traits>

#include "uapi/syscall_args.h"
#include "uapi/syscalls.h"

namespace hiillos::uapi {
namespace {

TEST(ErrorSetTest, HoldsExactlyTheListedStatuses) {
  constexpr ErrorSet errors = Errors(Status::kBadAddress, Status::kBusy);
  EXPECT_TRUE(errors.Has(Status::kBadAddress));
  EXPECT_TRUE(errors.Has(Status::kBusy));
  EXPECT_FALSE(errors.Has(Status::kOk));
  EXPECT_FALSE(errors.Has(Status::kOverlap));
  EXPECT_EQ(Errors().bits, 0u);
  EXPECT_EQ((errors | Errors(Status::kDead)),
            Errors(Status::kBadAddress, Status::kBusy, Status::kDead));
}

TEST(CapInfoTest, WordRoundTrips) {
  CapInfo info{ObjectType::kFrame, Rights::kRead | Rights::kMap};
  uint64_t word = CapInfo::ToWord(info);
  EXPECT_EQ(word, (uint64_t{(Rights::kRead | Rights::kMap).bits} << 8) | 2u);
  CapInfo back = CapInfo::FromWord(word);
  EXPECT_EQ(back.type, ObjectType::kFrame);
  EXPECT_EQ(back.rights, Rights::kRead | Rights::kMap);
}

TEST(SyscallSpecTest, RowsCarryKindsValuesAndErrors) {
  using Map = SyscallSpec<Syscall::kVmemMap>;
  EXPECT_EQ(Map::kNumber, 11u);
  EXPECT_STREQ(Map::kName, "VmemMap");
  using MapTraits = SignatureTraits<Map::Signature>;
  EXPECT_EQ(MapTraits::kArgCount, 5u);
  EXPECT_TRUE((std::is_same_v<MapTraits::Value, void>));
  EXPECT_TRUE(Map::kDecodeErrors.Has(Status::kPermissionDenied));
  EXPECT_TRUE(Map::kPerformErrors.Has(Status::kAlreadyMapped));
  EXPECT_FALSE(Map::kErrors.Has(Status::kNotMapped));
  // The kinds imply their own errors, and the row lists them.
  EXPECT_TRUE(MapTraits::kKindErrors.Has(Status::kWrongType));
  EXPECT_EQ(MapTraits::kKindErrors.bits & ~Map::kErrors.bits, 0u);

  using Frame = SyscallSpec<Syscall::kMemoryAllocFrame>;
  EXPECT_TRUE((std::is_same_v<Frame::Signature, NewHandle(Cap<ObjectType::kMemory, Rights::kWrite>,
                                                          UpTo<kMaxFrameOrder>)>));
  EXPECT_TRUE((std::is_same_v<SyscallSpec<Syscall::kThreadExit>::Signature, NoReturn(Word)>));
  EXPECT_EQ(kSyscallsDefined, 55u);
  EXPECT_EQ(kSyscallCount, 70u);  // gaps: 25, 33..34, 38..39, 49..59
  EXPECT_EQ(static_cast<uint64_t>(Syscall::kCall), 44u);
  EXPECT_EQ(SyscallSpec<Syscall::kMemoryAllocNotify>::kNumber, 60u);
}

}  // namespace
}  // namespace hiillos::uapi
