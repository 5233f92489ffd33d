// services/lib/syscalls_test.cc — the generated user wrappers: their C++ signatures follow the
// syscall table (typed parameters, trailing UserOut returned as the value, one register per raw
// argument), and arguments and values convert to and from registers as the ABI says.
#include "services/lib/syscalls.h"

#include <gtest/gtest.h>

#include <type_traits>

namespace hiillos::rt {
namespace {

using syscalls_internal::ToRegister;
using syscalls_internal::UserValue;

// Typed wrappers take the table's user types and return Result<value>.
static_assert(std::is_invocable_r_v<SysOr<void>, decltype(VmemMap), Handle, Handle, uint64_t,
                                    uint64_t, Handle>);
static_assert(!std::is_invocable_v<decltype(VmemMap), Handle, Handle, uint64_t, uint64_t>);
static_assert(std::is_invocable_r_v<SysOr<Handle>, decltype(MemoryCreate), Handle, uint64_t>);
static_assert(std::is_invocable_r_v<SysOr<Handle>, decltype(CapDerive), Handle, uapi::Rights>);
static_assert(!std::is_invocable_v<decltype(CapDerive), Handle, uint64_t>);  // Rights, not bits
static_assert(std::is_invocable_r_v<SysOr<CapInfo>, decltype(CapIdentify), Handle>);
static_assert(
    std::is_invocable_r_v<SysOr<void>, decltype(ThreadSetRegs), Handle, const uapi::ThreadRegs*>);
// A trailing UserOut<T> becomes the value.
static_assert(std::is_invocable_r_v<SysOr<uapi::MemoryInfo>, decltype(MemoryInfo), Handle>);
static_assert(std::is_invocable_r_v<SysOr<uapi::ThreadExit>, decltype(ThreadWait), Handle>);
static_assert(std::is_invocable_r_v<SysOr<uapi::SystemInfo>, decltype(SystemInfo)>);
// ThreadExit does not return.
static_assert(std::is_same_v<decltype(ThreadExit(0)), void>);
// IPC calls take their handles, then the message, and return the message received.
static_assert(std::is_invocable_r_v<SysOr<uapi::IpcMessage>, decltype(Call), Handle,
                                    const uapi::IpcMessage&>);
static_assert(std::is_invocable_r_v<SysOr<uapi::IpcMessage>, decltype(ReplyRecv), Handle, Handle,
                                    const uapi::IpcMessage&>);
static_assert(!std::is_invocable_v<decltype(Recv), Handle, Handle>);
// Raw wrappers take one register per argument.
static_assert(std::is_invocable_r_v<SysResult, decltype(raw::VmemMap), uint64_t, uint64_t, uint64_t,
                                    uint64_t, uint64_t>);
static_assert(!std::is_invocable_v<decltype(raw::VmemMap), uint64_t, uint64_t, uint64_t>);
static_assert(std::is_invocable_r_v<SysResult, decltype(raw::Yield)>);

TEST(SyscallWrappersTest, ArgumentsBecomeRegisters) {
  EXPECT_EQ(ToRegister(uint64_t{0x1234}), 0x1234u);
  EXPECT_EQ(ToRegister(Handle{7}), 7u);
  EXPECT_EQ(ToRegister(uapi::Rights::kRead | uapi::Rights::kMap),
            (uapi::Rights::kRead | uapi::Rights::kMap).bits);
  uapi::MemoryInfo info{};
  EXPECT_EQ(ToRegister(&info), reinterpret_cast<uint64_t>(&info));
}

TEST(SyscallWrappersTest, RegistersBecomeValues) {
  auto handle = UserValue<uapi::NewHandle>::From(SysResult{Status::kOk, 42});
  ASSERT_TRUE(handle.ok());
  EXPECT_EQ(handle.value(), 42u);
  auto refused = UserValue<uapi::NewHandle>::From(SysResult{Status::kNoSlots, 0});
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error(), Status::kNoSlots);

  const uint64_t word = CapInfo::ToWord({uapi::ObjectType::kThread, uapi::Rights::kWrite});
  auto info = UserValue<uapi::CapInfo>::From(SysResult{Status::kOk, word});
  ASSERT_TRUE(info.ok());
  EXPECT_EQ(info.value().type, uapi::ObjectType::kThread);
  EXPECT_EQ(info.value().rights, uapi::Rights::kWrite);

  EXPECT_TRUE((UserValue<void>::From(SysResult{Status::kOk, 0}).ok()));
  EXPECT_EQ((UserValue<void>::From(SysResult{Status::kBusy, 0}).error()), Status::kBusy);
}

}  // namespace
}  // namespace hiillos::rt
