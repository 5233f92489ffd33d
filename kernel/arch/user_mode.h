// kernel/arch/user_mode.h — the architecture interface for user mode: entering it, the
// address and flag rules for user register state, turning a user frame back into a kernel
// continuation (RedirectToKernel), the user-fault hook, and exception names for reports.
//
// From the implementation (kernel/arch/x86_64/user_mode.h) generic code uses: UserMode,
// EnterUserMode, RedirectToKernel, UserRegsFromFrame, UserRegsFromSavedFrame,
// SetUserFaultHandler, PrepareUserReturn, PrepareSyscallReturn, ExceptionName, ExceptionMnemonic,
// DescribeErrorCode.
#pragma once

#include <stdint.h>

#include "kernel/arch/api_concepts.h"
#include "kernel/arch/trap_frame.h"
#include "kernel/arch/x86_64/user_mode.h"
#include "uapi/syscalls.h"

namespace hiillos::arch {

template <typename T>
concept UserModeApi = requires(uint64_t value, const uapi::ThreadRegs& regs) {
  { T::kInitialFlags } -> SameAs<const uint64_t&>;
  { T::kPageFaultVector } -> SameAs<const uint8_t&>;
  { T::kProtectionFaultVector } -> SameAs<const uint8_t&>;
  { T::IsUserAddress(value) } -> SameAs<bool>;
  { T::PagerFaultAccess(value) } -> SameAs<uint64_t>;
  { T::SanitizeFlags(value) } -> SameAs<uint64_t>;
  { T::Enter(regs, value) } -> SameAs<void>;
  { T::ThreadPointerBase() } -> SameAs<uint64_t>;
  { T::SecondaryThreadBase() } -> SameAs<uint64_t>;
  { T::RefuseNextEntryForTest(static_cast<uint32_t>(value)) } -> SameAs<void>;
};

using UserMode = x86_64::UserMode;
static_assert(UserModeApi<UserMode>);

// The frame rewrites and register conversions the scheduler and syscall entry need.
static_assert(requires(InterruptFrame & frame, uapi::ThreadRegs* out, void (*fn)(), uint64_t top) {
  { RedirectToKernel(frame, fn, top) } -> SameAs<void>;
  { UserRegsFromFrame(frame, out) } -> SameAs<void>;
  { UserRegsFromSavedFrame(frame, out) } -> SameAs<void>;
  { PrepareUserReturn(frame) } -> SameAs<bool>;
  { PrepareSyscallReturn(frame) } -> SameAs<bool>;
  { SetUserFaultHandler(static_cast<UserFaultHandler>(nullptr)) } -> SameAs<void>;
});

}  // namespace hiillos::arch
