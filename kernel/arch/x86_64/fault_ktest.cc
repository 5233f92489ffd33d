// kernel/arch/x86_64/fault_ktest.cc — in-kernel tests: faults caught by probes, protections
// (NX, WP, SMAP, SMEP) fault as they should, and the panic report formats and symbolises.
#include <stdint.h>

#include "kernel/arch/x86_64/cpu_features.h"
#include "kernel/arch/x86_64/exception_info.h"
#include "kernel/arch/x86_64/fault_probe.h"
#include "kernel/arch/x86_64/fault_report.h"
#include "kernel/arch/x86_64/gdt.h"
#include "kernel/arch/x86_64/mmu.h"
#include "kernel/arch/x86_64/percpu.h"
#include "kernel/arch/x86_64/user_access.h"
#include "kernel/panic/kernel_symbols.h"
#include "kernel/test/ktest.h"
#include "lib/paging/page_table.h"
#include "lib/x86/control_registers.h"
#include "uapi/boot_info.h"

namespace hiillos::arch {
namespace {

// Unmapped: just below the kernel image, far above any HHDM.
constexpr uint64_t kUnmappedKernelAddress = 0xffff'ffff'7fff'f000ull;
constexpr uint64_t kNonCanonical = 0x8000'0000'0000'0000ull;
// A low-half address for the temporary user page (nothing else lives in the lower half yet).
constexpr uint64_t kUserTestAddress = 0x0000'6000'0000'0000ull;

// `ret` in a writable (hence NX) data page.
alignas(16) uint8_t g_data_code[16] = {0xc3};
const volatile uint64_t g_readonly_word = 0x1234'5678;
volatile uint64_t g_word = 0x5eed'f00d'cafe'0001ull;

bool Contains(const char* text, const char* part) {
  for (; *text != '\0'; ++text) {
    const char* a = text;
    const char* b = part;
    while (*a != '\0' && *a == *b) ++a, ++b;
    if (*b == '\0') return true;
  }
  return false;
}

// --- A temporary user mapping in the live page tables, from static pages -----------------
alignas(4096) uint8_t g_pool[5][4096];  // [0] the user page, [1..4] page-table pages
bool g_pool_used[5];

struct PoolEnv;
uint64_t KernelVirtToPhys(PoolEnv& env, uint64_t virt);

struct PoolEnv {
  Result<uint64_t, paging::Error> AllocTablePage() {
    for (int i = 1; i < 5; ++i) {
      if (g_pool_used[i]) continue;
      g_pool_used[i] = true;
      __builtin_memset(g_pool[i], 0, sizeof(g_pool[i]));
      return KernelVirtToPhys(*this, reinterpret_cast<uint64_t>(g_pool[i]));
    }
    return Err{paging::Error::kOutOfMemory};
  }
  void FreeTablePage(uint64_t phys) {
    for (int i = 1; i < 5; ++i) {
      if (KernelVirtToPhys(*this, reinterpret_cast<uint64_t>(g_pool[i])) == phys) {
        g_pool_used[i] = false;
      }
    }
  }
  void* PhysToVirt(uint64_t phys) { return reinterpret_cast<void*>(uapi::kHhdmBase + phys); }
};

uint64_t KernelVirtToPhys(PoolEnv& env, uint64_t virt) {
  paging::AddressSpace<PoolEnv> space(env, ReadCr3() & ~0xfffull);
  auto translation = space.Translate(virt);
  return translation.ok() ? translation.value().phys : 0;
}

// Maps g_pool[0] at kUserTestAddress as a user page (readable + executable, not writable)
// for the lifetime of the object.
class TemporaryUserPage {
 public:
  TemporaryUserPage() : space_(env_, ReadCr3() & ~0xfffull) {
    uint64_t phys = KernelVirtToPhys(env_, reinterpret_cast<uint64_t>(g_pool[0]));
    if (phys == 0) return;
    __builtin_memset(g_pool[0], 0, sizeof(g_pool[0]));
    g_pool[0][0] = 0xc3;  // ret
    g_pool[0][8] = 0x77;
    paging::Attributes attrs;
    attrs.user = true;
    attrs.executable = true;
    mapped_ = space_.Map(kUserTestAddress, phys, paging::PageSize::k4K, attrs).ok();
  }
  ~TemporaryUserPage() {
    if (!mapped_) return;
    (void)space_.Unmap(kUserTestAddress, paging::PageSize::k4K);
    InvalidatePage(kUserTestAddress);
  }
  bool mapped() const { return mapped_; }

 private:
  PoolEnv env_;
  paging::AddressSpace<PoolEnv> space_;
  bool mapped_ = false;
};

[[gnu::noinline]] size_t BacktraceInner(uint64_t* out, size_t max) {
  uint64_t rsp;
  asm volatile("mov %%rsp, %0" : "=r"(rsp));
  return CollectBacktrace(reinterpret_cast<uint64_t>(&BacktraceInner),
                          reinterpret_cast<uint64_t>(__builtin_frame_address(0)), rsp, out, max);
}

[[gnu::noinline]] size_t BacktraceOuter(uint64_t* out, size_t max) {
  size_t count = BacktraceInner(out, max);
  asm volatile("" ::: "memory");  // keep the call a call (no tail call)
  return count;
}

struct Buffer {
  char text[4096];
  size_t length;
};
void BufferSink(void* context, const char* text, size_t length) {
  auto* buffer = static_cast<Buffer*>(context);
  for (size_t i = 0; i < length && buffer->length + 1 < sizeof(buffer->text); ++i) {
    buffer->text[buffer->length++] = text[i];
  }
  buffer->text[buffer->length] = '\0';
}

}  // namespace

KTEST(fault, probe_read_of_mapped_memory_succeeds) {
  auto value = ProbeRead64(reinterpret_cast<uint64_t>(&g_word));
  KASSERT(value.ok());
  KEXPECT_EQ(value.value(), 0x5eed'f00d'cafe'0001ull);
  KEXPECT(CurrentCpu()->probe.Load(MemoryOrder::kRelaxed) == nullptr);
}

KTEST(fault, unmapped_kernel_read_is_a_page_fault) {
  auto value = ProbeRead64(kUnmappedKernelAddress);
  KASSERT(!value.ok());
  KEXPECT_EQ(value.error().vector, kVectorPageFault);
  KEXPECT_EQ(value.error().cr2, kUnmappedKernelAddress);
  KEXPECT_EQ(value.error().error_code & (kPfPresent | kPfWrite | kPfUser | kPfInstructionFetch),
             0u);
  KEXPECT(panic::LookupKernelSymbol(value.error().rip).ok());
}

KTEST(fault, non_canonical_access_is_a_general_protection_fault) {
  auto value = ProbeRead64(kNonCanonical);
  KASSERT(!value.ok());
  KEXPECT_EQ(value.error().vector, kVectorGeneralProtection);
  KEXPECT_EQ(value.error().error_code, 0u);
  KEXPECT_EQ(value.error().cr2, 0u);
}

KTEST(fault, invalid_opcode_and_divide_error_and_breakpoint) {
  auto ud = Probe([] { asm volatile("ud2"); });
  KASSERT(!ud.ok());
  KEXPECT_EQ(ud.error().vector, kVectorInvalidOpcode);

  auto divide = Probe([] {
    uint64_t zero = 0;
    asm volatile("divq %2" : "+a"(g_word), "+d"(zero) : "r"(zero) : "cc");
  });
  KASSERT(!divide.ok());
  KEXPECT_EQ(divide.error().vector, kVectorDivideError);

  auto breakpoint = Probe([] { asm volatile("int3"); });
  KASSERT(!breakpoint.ok());
  KEXPECT_EQ(breakpoint.error().vector, kVectorBreakpoint);
}

KTEST(fault, write_to_read_only_kernel_data_faults) {
  // CR0.WP: ring 0 honours read-only pages.
  auto write = Probe([] { *const_cast<volatile uint64_t*>(&g_readonly_word) = 1; });
  KASSERT(!write.ok());
  KEXPECT_EQ(write.error().vector, kVectorPageFault);
  KEXPECT_EQ(write.error().error_code & (kPfPresent | kPfWrite), kPfPresent | kPfWrite);
  KEXPECT_EQ(write.error().cr2, reinterpret_cast<uint64_t>(&g_readonly_word));
  KEXPECT_EQ(g_readonly_word, 0x1234'5678u);
}

KTEST(fault, executing_a_no_execute_page_faults_with_the_fetch_bit) {
  if (!Features().nx) return;
  auto call = Probe([] { reinterpret_cast<void (*)()>(g_data_code)(); });
  KASSERT(!call.ok());
  KEXPECT_EQ(call.error().vector, kVectorPageFault);
  KEXPECT_EQ(call.error().error_code & (kPfPresent | kPfInstructionFetch | kPfUser),
             kPfPresent | kPfInstructionFetch);
  KEXPECT_EQ(call.error().cr2, reinterpret_cast<uint64_t>(g_data_code));
  KEXPECT_EQ(call.error().rip, reinterpret_cast<uint64_t>(g_data_code));
}

KTEST(fault, smap_blocks_kernel_reads_of_user_pages) {
  TemporaryUserPage page;
  KASSERT(page.mapped());
  auto unguarded = ProbeRead64(kUserTestAddress + 8);
  if (Features().smap) {
    KASSERT(!unguarded.ok());
    KEXPECT_EQ(unguarded.error().vector, kVectorPageFault);
    KEXPECT_EQ(unguarded.error().cr2, kUserTestAddress + 8);
    KEXPECT_EQ(unguarded.error().error_code & (kPfPresent | kPfUser | kPfWrite), kPfPresent);
  } else {
    KEXPECT(unguarded.ok());
  }
  // Inside a user-access window the same read works; AC is gone again afterwards.
  uint64_t value = 0;
  auto guarded = Probe([&] {
    UserAccessGuard guard;
    value = *reinterpret_cast<volatile uint64_t*>(kUserTestAddress + 8);
  });
  KEXPECT(guarded.ok());
  KEXPECT_EQ(value, 0x77u);
  KEXPECT_EQ(x86::ReadRflags() & x86::kRflagsAlignmentCheck, 0u);
  // A fault inside the window: the probe restores RFLAGS, so AC is clear again.
  auto faulting = Probe([] {
    UserAccessGuard guard;
    (void)*reinterpret_cast<volatile uint64_t*>(kUnmappedKernelAddress);
  });
  KEXPECT(!faulting.ok());
  KEXPECT_EQ(x86::ReadRflags() & x86::kRflagsAlignmentCheck, 0u);
}

KTEST(fault, smep_blocks_kernel_execution_of_user_pages) {
  if (!Features().smep) return;
  TemporaryUserPage page;
  KASSERT(page.mapped());
  auto call = Probe([] { reinterpret_cast<void (*)()>(kUserTestAddress)(); });
  KASSERT(!call.ok());
  KEXPECT_EQ(call.error().vector, kVectorPageFault);
  KEXPECT_EQ(call.error().cr2, kUserTestAddress);
  KEXPECT_EQ(call.error().error_code & (kPfPresent | kPfInstructionFetch | kPfUser),
             kPfPresent | kPfInstructionFetch);
}

KTEST(fault, probes_nest_and_restore_state) {
  PerCpu* cpu = CurrentCpu();
  bool inner_faulted = false;
  auto outer = Probe([&] {
    auto inner = ProbeRead64(kUnmappedKernelAddress);
    inner_faulted = !inner.ok();
  });
  KEXPECT(outer.ok());
  KEXPECT(inner_faulted);
  KEXPECT(cpu->probe.Load(MemoryOrder::kRelaxed) == nullptr);
  // The #PF ran on IST4 and unwound its nesting bookkeeping.
  KEXPECT_EQ(cpu->ist_depth[kIstPageFault - 1], 0u);
  KEXPECT_EQ(cpu->tss->ist[kIstPageFault - 1], IstStackTop(cpu->index, kIstPageFault));
  KEXPECT(IstCanariesIntact(cpu->index));
  // Many faults in a row leave nothing behind either.
  for (int i = 0; i < 100; ++i) KEXPECT(!ProbeRead64(kUnmappedKernelAddress + i * 8).ok());
  KEXPECT_EQ(cpu->tss->ist[kIstPageFault - 1], IstStackTop(cpu->index, kIstPageFault));
}

KTEST(fault, kernel_symbols_are_embedded) {
  auto table = panic::KernelSymbolTable();
  KASSERT(table.ok());  // fails if the image did not go through tools/symbols
  KEXPECT(table.value().count() > 50);
  auto hit = panic::LookupKernelSymbol(reinterpret_cast<uint64_t>(&ProbeRead64) + 1);
  KASSERT(hit.ok());
  KEXPECT(Contains(hit.value().name, "hiillos::arch::ProbeRead64"));
  KEXPECT_EQ(hit.value().offset, 1u);
  KEXPECT(!panic::LookupKernelSymbol(0x1000).ok());
}

KTEST(fault, backtrace_walks_and_symbolises_the_call_chain) {
  uint64_t pcs[16];
  size_t count = BacktraceOuter(pcs, 16);
  KASSERT(count >= 3);
  // pcs[0] is the given RIP; pcs[1] returns into BacktraceOuter, pcs[2] into this test.
  auto outer = panic::LookupKernelSymbol(pcs[1] - 1);
  KASSERT(outer.ok());
  KEXPECT(Contains(outer.value().name, "BacktraceOuter"));
  auto test = panic::LookupKernelSymbol(pcs[2] - 1);
  KASSERT(test.ok());
  KEXPECT(Contains(test.value().name, "backtrace_walks_and_symbolises"));
}

KTEST(fault, report_prints_exception_registers_and_symbols) {
  InterruptFrame frame{};
  frame.vector = kVectorPageFault;
  frame.error_code = kPfWrite;
  frame.rip = reinterpret_cast<uint64_t>(&ProbeRead64) + 4;
  frame.cs = kKernelCodeSelector;
  frame.ss = kKernelDataSelector;
  frame.rax = 0xaaaa;
  frame.r15 = 0xf15;
  frame.rbp = reinterpret_cast<uint64_t>(__builtin_frame_address(0));
  asm volatile("mov %%rsp, %0" : "=r"(frame.rsp));
  static Buffer buffer;
  buffer.length = 0;
  WriteExceptionLine(BufferSink, &buffer, frame);
  WriteRegisters(BufferSink, &buffer, frame, 0xdead'b000);
  WriteBacktrace(BufferSink, &buffer, frame);
  KEXPECT(Contains(buffer.text,
                   "#PF page fault (vector 14), error code 0x2: not-present write kernel"));
  KEXPECT(Contains(buffer.text, "cr2 0x00000000deadb000"));
  KEXPECT(Contains(buffer.text, "hiillos::arch::ProbeRead64+0x4"));
  KEXPECT(Contains(buffer.text, "rax 0x000000000000aaaa"));
  KEXPECT(Contains(buffer.text, "r15 0x0000000000000f15"));
  KEXPECT(Contains(buffer.text, "cs 0x8  ss 0x10"));
  KEXPECT(Contains(buffer.text, "cr0 0x"));
  KEXPECT(Contains(buffer.text, "backtrace:\n  #0 0xffffffff8"));
  // Frame #1 is this test's return address: into the runner.
  KEXPECT(Contains(buffer.text, "  #1 0xffffffff8"));
  KEXPECT(Contains(buffer.text, "hiillos::ktest::RunAll+0x"));
}

// The first line of a CPU's report in a panic (kernel/panic/cpu_reports.h).
KTEST(fault, interrupted_at_names_symbol_mode_and_interrupt_flag) {
  InterruptFrame frame{};
  frame.vector = kVectorNmi;
  frame.rip = reinterpret_cast<uint64_t>(&ProbeRead64) + 4;
  frame.cs = kKernelCodeSelector;
  frame.rflags = 0x2;
  static Buffer buffer;
  buffer.length = 0;
  WriteInterruptedAt(BufferSink, &buffer, frame);
  KEXPECT(Contains(buffer.text, "interrupted at 0xffffffff8"));
  KEXPECT(Contains(buffer.text, " hiillos::arch::ProbeRead64+0x4 (kernel), IF off"));

  frame.rip = 0x40'1000;
  frame.cs = kUserCodeSelector;
  frame.rflags = 0x2 | x86::kRflagsInterrupt;
  buffer.length = 0;
  WriteInterruptedAt(BufferSink, &buffer, frame);
  KEXPECT(Contains(buffer.text, "interrupted at 0x0000000000401000 (user), IF on"));
}

}  // namespace hiillos::arch
