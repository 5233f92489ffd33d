// kernel/arch_services.cc — the generic kernel's side of arch::KernelServices: logging, panics,
// the clock, pages, kernel mappings, symbols, the syscall handler and a new thread's first run,
// as the architecture code sees them.
#include "kernel/arch_services.h"

#include "kernel/arch/kernel_services.h"
#include "kernel/lib/log.h"
#include "kernel/mm/kernel_space.h"
#include "kernel/mm/pmm.h"
#include "kernel/panic/kernel_symbols.h"
#include "kernel/panic/panic.h"
#include "kernel/sched/scheduler.h"
#include "kernel/syscall/entry.h"
#include "kernel/time/clock.h"

namespace hiillos {
namespace {

Result<uint64_t, arch::ServiceError> AllocatePages(unsigned order, bool page_table) {
  auto pages =
      mm::AllocatePages(order, page_table ? mm::PageUse::kPageTable : mm::PageUse::kKernel);
  if (!pages.ok()) return Err(arch::ServiceError::kNoMemory);
  return pages.value();
}

void FreePages(uint64_t phys, unsigned order) {
  (void)mm::FreePages(phys, order);
}

Result<void, arch::ServiceError> MapUncached(uint64_t virt, uint64_t phys, uint64_t bytes) {
  auto mapped =
      mm::KernelMap(virt, phys, bytes, {.writable = true, .global = true, .uncached = true});
  if (!mapped.ok()) return Err(arch::ServiceError::kNoMemory);
  return Ok<arch::ServiceError>();
}

Result<arch::SymbolHit, arch::ServiceError> LookupSymbol(uint64_t address) {
  auto hit = panic::LookupKernelSymbol(address);
  if (!hit.ok()) return Err(arch::ServiceError::kNotFound);
  return arch::SymbolHit{hit.value().name, hit.value().symbol_address};
}

}  // namespace

void InstallArchServices() {
  arch::KernelServices services;
  services.log = klog::VLog;
  services.panic = panic::VPanic;
  services.fatal_exception = panic::PanicFromException;
  services.halt_if_panicking = panic::HaltIfPanicking;
  services.now_nanoseconds = time::NowNanoseconds;
  services.allocate_pages = AllocatePages;
  services.free_pages = FreePages;
  services.phys_to_virt = [](uint64_t phys) { return mm::PhysToVirt(phys); };
  services.kernel_page_table_root = mm::KernelPageTableRoot;
  services.map_uncached = MapUncached;
  services.lookup_symbol = LookupSymbol;
  services.syscall_dispatch = SyscallDispatch;
  services.thread_first_run = ThreadFirstRun;
  arch::InstallKernelServices(services);
}

}  // namespace hiillos
