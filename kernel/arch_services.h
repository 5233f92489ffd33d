// kernel/arch_services.h — InstallArchServices: hands the architecture layer its hooks into the
// generic kernel (kernel/arch/kernel_services.h). KernelMain's first call.
#pragma once

namespace hiillos {

void InstallArchServices();

}  // namespace hiillos
