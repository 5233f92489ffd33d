// testing/conformance/cases_basic.cc — Log, Yield, SystemInfo and unknown syscall numbers.
#include "testing/conformance/child.h"
#include "testing/conformance/harness.h"
#include "uapi/initial_caps.h"

namespace hiillos::conformance {
namespace {

using uapi::Status;

constexpr uint64_t kKernelAddress = 0xffff'ffff'8000'0000ull;
constexpr uint64_t kNonCanonical = 0x0000'8000'0000'0000ull;
constexpr uint64_t kUnmapped = 0x0000'3000'0000'0000ull;  // canonical user, never mapped here

CONFORMANCE_CASE(log_success_and_errors) {
  static const char kText[] = "conformance: log line from user space";
  const uint64_t kText64 = reinterpret_cast<uint64_t>(kText);
  EXPECT_OK(rt::raw::Log(kLog, kText64, sizeof(kText) - 1));
  EXPECT_OK(rt::raw::Log(kLog, kText64, 0));
  static char long_text[uapi::kMaxLogLength + 1];
  for (char& c : long_text) c = 'x';
  const uint64_t kLong64 = reinterpret_cast<uint64_t>(long_text);
  EXPECT_OK(rt::raw::Log(kLog, kLong64, uapi::kMaxLogLength));
  EXPECT_STATUS(rt::raw::Log(kLog, kLong64, uapi::kMaxLogLength + 1), Status::kInvalidArgument);
  EXPECT_STATUS(rt::raw::Log(kLog, kText64, ~0ull), Status::kInvalidArgument);
  EXPECT_STATUS(rt::raw::Log(kLog, 0, 8), Status::kBadAddress);
  EXPECT_STATUS(rt::raw::Log(kLog, kKernelAddress, 8), Status::kBadAddress);
  EXPECT_STATUS(rt::raw::Log(kLog, kNonCanonical, 8), Status::kBadAddress);
  EXPECT_STATUS(rt::raw::Log(kLog, kUnmapped, 8), Status::kBadAddress);
  // Control characters are accepted (the kernel neutralises them).
  static const char kControl[] = "conformance: \x1b[31mnot red\x1b[0m\nno second line";
  EXPECT_OK(rt::raw::Log(kLog, reinterpret_cast<uint64_t>(kControl), sizeof(kControl) - 1));
}

CONFORMANCE_CASE(log_needs_a_log_capability_with_write) {
  static const char kText[] = "conformance: must not appear";
  const uint64_t kText64 = reinterpret_cast<uint64_t>(kText);
  EXPECT_STATUS(rt::raw::Log(0, kText64, 4), Status::kInvalidCapability);
  EXPECT_STATUS(rt::raw::Log(uint64_t{1} << 32, kText64, 4), Status::kInvalidCapability);
  EXPECT_STATUS(rt::raw::Log(kMemory, kText64, 4), Status::kWrongType);
  EXPECT_STATUS(rt::raw::Log(kSelf, kText64, 4), Status::kWrongType);
  auto info = rt::CapIdentify(kLog);
  EXPECT_OK(info);
  if (info.ok()) EXPECT_EQ(static_cast<uint64_t>(info.value().type), uint64_t{12});
  auto read_only = rt::CapDerive(kLog, uapi::Rights::kTransfer);  // no Write
  EXPECT_OK(read_only);
  if (!read_only.ok()) return;
  EXPECT_STATUS(rt::raw::Log(read_only.value(), kText64, 4), Status::kMissingRights);
  EXPECT_OK(rt::CapDelete(read_only.value()));
  // A derived copy with Write works like the original.
  auto copy = rt::CapDerive(kLog, uapi::Rights::kWrite);
  EXPECT_OK(copy);
  if (!copy.ok()) return;
  static const char kCopyText[] = "conformance: logged through a derived Log capability";
  EXPECT_OK(
      rt::raw::Log(copy.value(), reinterpret_cast<uint64_t>(kCopyText), sizeof(kCopyText) - 1));
  EXPECT_OK(rt::CapDelete(copy.value()));
}

CONFORMANCE_CASE(yield_returns) {
  for (int i = 0; i < 10; ++i) EXPECT_OK(rt::raw::Yield());
}

CONFORMANCE_CASE(unknown_syscalls_are_invalid) {
  // 25-29 are gaps in this build's table (numbers are handed out in ranges).
  const uint64_t kUnknownNumbers[] = {uint64_t{25}, uapi::kSyscallCount, uint64_t{100},
                                      uint64_t{1} << 32, ~uint64_t{0}};
  for (uint64_t number : kUnknownNumbers) {
    EXPECT_STATUS(rt::RawSyscall(number), Status::kInvalidSyscall);
  }
  // The result register carries no value on errors.
  EXPECT_EQ(rt::RawSyscall(~0ull, 1, 2, 3, 4, 5, 6).value, 0u);
}

CONFORMANCE_CASE(registers_survive_syscalls) {
  // Everything but rax, rdx, rcx and r11 is preserved across a syscall (here: Yield).
  register uint64_t r8 asm("r8") = 0x0808;
  register uint64_t r9 asm("r9") = 0x0909;
  register uint64_t r10 asm("r10") = 0x1010;
  register uint64_t r12 asm("r12") = 0x1212;
  register uint64_t r13 asm("r13") = 0x1313;
  register uint64_t r14 asm("r14") = 0x1414;
  register uint64_t r15 asm("r15") = 0x1515;
  uint64_t rbx = 0xb0b0, rdi = 0xd1d1, rsi = 0x5151, rbp_out = 0;
  asm volatile(
      "push %%rbp\n"
      "mov $0x7777, %%rbp\n"
      "mov $1, %%eax\n"
      "syscall\n"
      "mov %%rbp, %%rdx\n"  // rdx is the call's value register: free to use here
      "pop %%rbp\n"
      : "+b"(rbx), "+D"(rdi), "+S"(rsi), "+r"(r8), "+r"(r9), "+r"(r10), "+r"(r12), "+r"(r13),
        "+r"(r14), "+r"(r15), "=d"(rbp_out)
      :
      : "rax", "rcx", "r11", "memory");
  EXPECT_EQ(rbx, 0xb0b0u);
  EXPECT_EQ(rdi, 0xd1d1u);
  EXPECT_EQ(rsi, 0x5151u);
  EXPECT_EQ(rbp_out, 0x7777u);
  EXPECT_EQ(r8, 0x0808u);
  EXPECT_EQ(r9, 0x0909u);
  EXPECT_EQ(r10, 0x1010u);
  EXPECT_EQ(r12, 0x1212u);
  EXPECT_EQ(r13, 0x1313u);
  EXPECT_EQ(r14, 0x1414u);
  EXPECT_EQ(r15, 0x1515u);
}

CONFORMANCE_CASE(system_info) {
  auto info = rt::SystemInfo();
  EXPECT_OK(info);
  if (!info.ok()) return;
  EXPECT_TRUE(info.value().cpus_online >= 1);
  EXPECT_TRUE(info.value().free_pages > 0);
  EXPECT_TRUE(info.value().capability_slots_used >= 5);
  EXPECT_TRUE(info.value().uptime_ns > 0);
  EXPECT_TRUE(info.value().objects_live > 0);
  auto later = rt::SystemInfo();
  EXPECT_TRUE(later.ok() && later.value().uptime_ns >= info.value().uptime_ns);
  EXPECT_STATUS(rt::raw::SystemInfo(0), Status::kBadAddress);
  EXPECT_STATUS(rt::raw::SystemInfo(kKernelAddress), Status::kBadAddress);
  EXPECT_STATUS(rt::raw::SystemInfo(kUnmapped), Status::kBadAddress);
  // The BootInfo copy is mapped read-only: the kernel must not write through it.
  EXPECT_STATUS(rt::raw::SystemInfo(uapi::kRootBootInfoAddress), Status::kBadAddress);
  // A buffer that runs off the end of user space.
  EXPECT_STATUS(rt::raw::SystemInfo(0x0000'7fff'ffff'fff0ull), Status::kBadAddress);
}

}  // namespace
}  // namespace hiillos::conformance
