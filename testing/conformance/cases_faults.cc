// testing/conformance/cases_faults.cc — fault isolation: a child that faults is killed (its
// ThreadWait says kFaulted with the vector and address), nothing else is disturbed, and the
// suite goes on.
#include "services/lib/print.h"
#include "testing/conformance/child.h"
#include "testing/conformance/harness.h"

namespace hiillos::conformance {
namespace {

using uapi::ExitReason;
using uapi::Status;

constexpr uint64_t kFaulted = static_cast<uint64_t>(ExitReason::kFaulted);
constexpr uint64_t kKernelAddress = 0xffff'8000'0000'0000ull;

void ReadKernel(uint64_t address) {
  (void)*reinterpret_cast<volatile uint64_t*>(address);
}
void WriteReadOnly(uint64_t address) {
  *reinterpret_cast<volatile uint64_t*>(address) = 1;
}
void DivideByZero(uint64_t) {
  asm volatile("xor %%ecx, %%ecx\n div %%ecx" ::: "rax", "rcx", "rdx");
}
void InvalidOpcode(uint64_t) {
  asm volatile("ud2");
}
void Privileged(uint64_t) {
  asm volatile("hlt");
}
void SoftwareInterrupt(uint64_t) {
  asm volatile("int $0x80");  // a DPL-0 gate: #GP, the handler never runs
}
void Breakpoint(uint64_t) {
  asm volatile("int3");
}
void JumpTo(uint64_t address) {
  reinterpret_cast<void (*)()>(address)();
}

struct FaultCase {
  const char* name;
  ChildFunction fn;
  uint64_t arg;
  uint64_t vector;
  uint64_t fault_addr;  // ~0: do not check
};

void ExpectKilled(const FaultCase& fault) {
  auto child = SpawnShared(fault.fn, fault.arg);
  EXPECT_OK(child);
  if (!child.ok()) return;
  Child c = child.value();
  uapi::ThreadExit exit = Wait(c);
  if (!EXPECT_EQ(static_cast<uint64_t>(exit.reason), kFaulted) ||
      !EXPECT_EQ(exit.code, fault.vector)) {
    rt::Printf("conformance:   (fault case %s)", fault.name);
  }
  if (fault.fault_addr != ~0ull) EXPECT_EQ(exit.fault_addr, fault.fault_addr);
  Release(c);
}

// A word on the suite's own data page, to jump to (not executable).
uint64_t g_data_word = 0xc3;  // `ret`, but in a non-executable page

CONFORMANCE_CASE(faults_kill_only_the_child) {
  const FaultCase cases[] = {
      {"read kernel address", ReadKernel, kKernelAddress, 14, kKernelAddress},
      {"read null", ReadKernel, 0, 14, 0},
      {"write read-only page", WriteReadOnly, uapi::kRootBootInfoAddress, 14,
       uapi::kRootBootInfoAddress},
      {"divide by zero", DivideByZero, 0, 0, ~0ull},
      {"invalid opcode", InvalidOpcode, 0, 6, ~0ull},
      {"privileged instruction", Privileged, 0, 13, ~0ull},
      {"breakpoint (int3 reaches the DPL-3 #BP gate)", Breakpoint, 0, 3, ~0ull},
      {"int 0x80 through a kernel-only gate", SoftwareInterrupt, 0, 13, ~0ull},
      {"execute data", JumpTo, reinterpret_cast<uint64_t>(&g_data_word), 14,
       reinterpret_cast<uint64_t>(&g_data_word)},
      {"execute kernel", JumpTo, 0xffff'ffff'8000'0000ull, 14, 0xffff'ffff'8000'0000ull},
      {"non-canonical jump", JumpTo, 0x0000'8000'0000'0000ull, 13, ~0ull},
  };
  for (const FaultCase& fault : cases) ExpectKilled(fault);
  // We are still fine, and so is the kernel.
  EXPECT_OK(rt::SystemInfo());
}

CONFORMANCE_CASE(faults_in_other_address_spaces) {
  // Machine code for a process with its own Vmem.
  static const uint8_t kExit7[] = {
      0xbf, 0x07, 0x00, 0x00, 0x00,  // mov edi, 7
      0xb8, 0x15, 0x00, 0x00, 0x00,  // mov eax, 21 (ThreadExit)
      0x0f, 0x05,                    // syscall
      0x0f, 0x0b,                    // ud2
  };
  // Reads our scratch area, which is not mapped in its address space.
  static const uint8_t kReadParent[] = {
      0x48, 0xa1, 0x00, 0x00, 0x00, 0x00, 0x00, 0x20, 0x00, 0x00,  // movabs rax, [kScratchBase]
      0x0f, 0x0b,                                                  // ud2
  };
  static const uint8_t kGarbage[] = {0xff, 0xff, 0xff, 0xff};
  auto exit7 = SpawnSnippet(kExit7, sizeof(kExit7));
  EXPECT_OK(exit7);
  if (exit7.ok()) {
    Child c = exit7.value();
    uapi::ThreadExit exit = Wait(c);
    EXPECT_EQ(static_cast<uint64_t>(exit.reason), static_cast<uint64_t>(ExitReason::kExited));
    EXPECT_EQ(exit.code, 7u);
    Release(c);
  }
  auto reader = SpawnSnippet(kReadParent, sizeof(kReadParent));
  EXPECT_OK(reader);
  if (reader.ok()) {
    Child c = reader.value();
    uapi::ThreadExit exit = Wait(c);
    EXPECT_EQ(static_cast<uint64_t>(exit.reason), kFaulted);
    EXPECT_EQ(exit.code, 14u);
    EXPECT_EQ(exit.fault_addr, kScratchBase);
    Release(c);
  }
  auto garbage = SpawnSnippet(kGarbage, sizeof(kGarbage));
  EXPECT_OK(garbage);
  if (garbage.ok()) {
    Child c = garbage.value();
    uapi::ThreadExit exit = Wait(c);
    EXPECT_EQ(static_cast<uint64_t>(exit.reason), kFaulted);
    Release(c);
  }
}

}  // namespace
}  // namespace hiillos::conformance
