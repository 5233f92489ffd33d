// kernel/arch/x86_64/kernel_services.cc — the installed hook table and the calls through it.
#include "kernel/arch/x86_64/kernel_services.h"

#include "lib/x86/cpu.h"

// Read by syscall_entry.S and context_switch.S (call through them); written once at boot.
extern "C" {
uint64_t (*hiillos_syscall_dispatch)(hiillos::arch::InterruptFrame* frame) = nullptr;
void (*hiillos_thread_first_run)() = nullptr;
}

namespace hiillos::arch {
namespace {

KernelServices g_services;  // written once at boot, before any other CPU runs

}  // namespace

void InstallKernelServices(const KernelServices& services) {
  g_services = services;
  // Called by the SYSCALL entry, which stamps the interrupts-off stretch itself (irq_off.h).
  hiillos_syscall_dispatch = services.syscall_dispatch;
  hiillos_thread_first_run = services.thread_first_run;
}

namespace kernel_services {

void Log(const char* subsystem, const char* fmt, ...) {
  if (g_services.log == nullptr) return;
  va_list args;
  va_start(args, fmt);
  g_services.log(subsystem, fmt, args);
  va_end(args);
}

void Panic(const char* fmt, ...) {
  if (g_services.panic != nullptr) {
    va_list args;
    va_start(args, fmt);
    g_services.panic(fmt, args);
    va_end(args);
  }
  x86::HaltForever();
}

void FatalException(const InterruptFrame& frame, uint64_t cr2) {
  if (g_services.fatal_exception != nullptr) g_services.fatal_exception(frame, cr2);
  x86::HaltForever();
}

void HaltIfPanicking(const InterruptFrame& interrupted) {
  if (g_services.halt_if_panicking != nullptr) g_services.halt_if_panicking(interrupted);
}

uint64_t NowNanoseconds() {
  return g_services.now_nanoseconds != nullptr ? g_services.now_nanoseconds() : 0;
}

void SpinDelay(uint64_t nanoseconds) {
  uint64_t start = NowNanoseconds();
  while (NowNanoseconds() - start < nanoseconds) x86::Pause();
}

Result<uint64_t, ServiceError> AllocatePages(unsigned order, bool page_table) {
  if (g_services.allocate_pages == nullptr) return Err(ServiceError::kUnavailable);
  return g_services.allocate_pages(order, page_table);
}

void FreePages(uint64_t phys, unsigned order) {
  if (g_services.free_pages != nullptr) g_services.free_pages(phys, order);
}

void* PhysToVirt(uint64_t phys) {
  return g_services.phys_to_virt(phys);
}

uint64_t KernelPageTableRoot() {
  return g_services.kernel_page_table_root();
}

Result<void, ServiceError> MapUncached(uint64_t virt, uint64_t phys, uint64_t bytes) {
  if (g_services.map_uncached == nullptr) return Err(ServiceError::kUnavailable);
  return g_services.map_uncached(virt, phys, bytes);
}

Result<SymbolHit, ServiceError> LookupSymbol(uint64_t address) {
  if (g_services.lookup_symbol == nullptr) return Err(ServiceError::kUnavailable);
  return g_services.lookup_symbol(address);
}

}  // namespace kernel_services
}  // namespace hiillos::arch
