// kernel/arch/x86_64/kernel_services.h — what the architecture code needs from the generic
// kernel (logging, panics, the clock, pages, kernel mappings, symbols, the syscall handler and
// a new thread's first run), as a table of hooks the
// kernel installs at boot (kernel/arch/kernel_services.h). With it, //kernel/arch depends on no
// generic kernel package: the dependency points down, and the calls go up through the table.
//
// Ownership: installed once by the boot CPU before anything else runs (KernelMain's first
// statement) and read-only afterwards. Before that, logging is dropped and a panic halts.
#pragma once

#include <stdarg.h>
#include <stdint.h>

#include "kernel/arch/x86_64/interrupt_frame.h"
#include "lib/base/result.h"

namespace hiillos::arch {

enum class ServiceError : uint8_t {
  kNoMemory,     // no physical memory or page-table memory left
  kNotFound,     // no symbol covers the address (or no table)
  kUnavailable,  // the kernel has not installed the hook
};

struct SymbolHit {
  const char* name;
  uint64_t address;  // where the symbol starts
};

struct KernelServices {
  void (*log)(const char* subsystem, const char* fmt, va_list args) = nullptr;
  // Must not return (the panic path).
  void (*panic)(const char* fmt, va_list args) = nullptr;
  // An exception the architecture cannot handle; must not return.
  void (*fatal_exception)(const InterruptFrame& frame, uint64_t cr2) = nullptr;
  // From the NMI handler, with the interrupted frame: if another CPU is panicking, reports
  // where the NMI found this CPU when asked and halts; otherwise returns.
  void (*halt_if_panicking)(const InterruptFrame& interrupted) = nullptr;
  uint64_t (*now_nanoseconds)() = nullptr;
  // Physical pages for bring-up (AP stacks, trampoline tables).
  Result<uint64_t, ServiceError> (*allocate_pages)(unsigned order, bool page_table) = nullptr;
  void (*free_pages)(uint64_t phys, unsigned order) = nullptr;
  void* (*phys_to_virt)(uint64_t phys) = nullptr;
  uint64_t (*kernel_page_table_root)() = nullptr;
  // Maps [phys, phys + bytes) at `virt` in the kernel half: writable, global, uncached.
  Result<void, ServiceError> (*map_uncached)(uint64_t virt, uint64_t phys,
                                             uint64_t bytes) = nullptr;
  Result<SymbolHit, ServiceError> (*lookup_symbol)(uint64_t address) = nullptr;
  // The SYSCALL entry's handler (syscall_entry.S calls it with the saved frame; it returns 1
  // to leave with SYSRETQ, 0 for IRETQ) and where a new thread's first switch lands (never
  // returns). The entry code calls both through pointers, so no symbol of a generic package is
  // left for the linker to resolve.
  uint64_t (*syscall_dispatch)(InterruptFrame* frame) = nullptr;
  void (*thread_first_run)() = nullptr;
};

// Installs the table (copies it). kernel/arch/kernel_services.h is the generic side's name.
void InstallKernelServices(const KernelServices& services);

// The architecture code's calls into the kernel through the table.
namespace kernel_services {

void Log(const char* subsystem, const char* fmt, ...) __attribute__((format(printf, 2, 3)));
[[noreturn]] void Panic(const char* fmt, ...) __attribute__((format(printf, 1, 2)));
[[noreturn]] void FatalException(const InterruptFrame& frame, uint64_t cr2);
void HaltIfPanicking(const InterruptFrame& interrupted);
// 0 until the kernel's clock runs.
uint64_t NowNanoseconds();
// Busy-waits at least `nanoseconds` on the kernel's clock.
void SpinDelay(uint64_t nanoseconds);
Result<uint64_t, ServiceError> AllocatePages(unsigned order, bool page_table);
void FreePages(uint64_t phys, unsigned order);
void* PhysToVirt(uint64_t phys);
uint64_t KernelPageTableRoot();
Result<void, ServiceError> MapUncached(uint64_t virt, uint64_t phys, uint64_t bytes);
Result<SymbolHit, ServiceError> LookupSymbol(uint64_t address);

}  // namespace kernel_services
}  // namespace hiillos::arch
