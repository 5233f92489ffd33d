// kernel/arch/x86_64/user_mode.h — ring-3 entry and exit on x86-64 for the arch::UserMode
// interface (kernel/arch/user_mode.h): IRETQ entry, frame redirection, user register state,
// user-fault hook, exception names.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "kernel/arch/x86_64/exception_info.h"
#include "kernel/arch/x86_64/interrupt_frame.h"
#include "kernel/arch/x86_64/percpu.h"
#include "kernel/arch/x86_64/syscall_frame.h"
#include "kernel/arch/x86_64/user_entry.h"
#include "kernel/arch/x86_64/user_fault.h"
#include "lib/x86/msr.h"
#include "uapi/syscalls.h"

namespace hiillos::arch::x86_64 {

struct UserMode {
  // RFLAGS a new user thread starts with: IF and the always-one bit 1.
  static constexpr uint64_t kInitialFlags = kRflagsIf | kRflagsReserved1;
  static constexpr uint8_t kPageFaultVector = kVectorPageFault;
  static constexpr uint8_t kProtectionFaultVector = kVectorGeneralProtection;

  static bool IsUserAddress(uint64_t address) { return IsCanonicalUser(address); }
  // A page fault's error code as a user-space pager sees it: uapi::FaultAccess bits for a
  // fault on a page that is not present, 0 for anything else (a protection violation, a
  // reserved bit, ...: no pager handles those).
  static uint64_t PagerFaultAccess(uint64_t error) {
    if ((error & (kPfPresent | kPfReservedBit | kPfProtectionKey | kPfShadowStack | kPfSgx)) != 0) {
      return 0;
    }
    if ((error & kPfInstructionFetch) != 0) return uapi::kFaultExecute;
    return (error & kPfWrite) != 0 ? uapi::kFaultWrite : uapi::kFaultRead;
  }
  static uint64_t SanitizeFlags(uint64_t flags) { return SanitizeUserRflags(flags); }
  [[noreturn]] static void Enter(const uapi::ThreadRegs& regs, uint64_t kernel_stack_top) {
    EnterUserMode(regs, kernel_stack_top);
  }
  // The user's thread-local bases as they are on this CPU right now (in a syscall).
  static uint64_t ThreadPointerBase() { return x86::ReadMsr(x86::kMsrFsBase); }
  static uint64_t SecondaryThreadBase() { return x86::ReadMsr(x86::kMsrKernelGsBase); }
  // Test hook: the next Enter on CPU `cpu` uses a frame the CPU refuses (a ring-0 code selector
  // with RPL 3: IRETQ raises #GP in ring 0, after SWAPGS), so tests can check that such a fault
  // kills the thread (interrupt_entry.S) instead of the kernel.
  static void RefuseNextEntryForTest(uint32_t cpu) {
    PerCpuRecord(cpu).refuse_next_user_entry.Store(true, MemoryOrder::kRelease);
  }
};

}  // namespace hiillos::arch::x86_64
