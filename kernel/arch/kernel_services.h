// kernel/arch/kernel_services.h — the architecture interface in the other direction: the hooks
// (logging, panic, clock, pages, kernel mappings, symbols) through which architecture code
// calls the generic kernel, installed once at boot (kernel/arch_services.cc). This keeps
// //kernel/arch below every generic package: arch depends on none of them.
//
// From the implementation (kernel/arch/x86_64/kernel_services.h): KernelServices, SymbolHit,
// ServiceError, InstallKernelServices.
#pragma once

#include "kernel/arch/api_concepts.h"
#include "kernel/arch/x86_64/kernel_services.h"

namespace hiillos::arch {

static_assert(requires(const KernelServices& services) {
  { InstallKernelServices(services) } -> SameAs<void>;
});

}  // namespace hiillos::arch
