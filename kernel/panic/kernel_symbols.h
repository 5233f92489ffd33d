// kernel/panic/kernel_symbols.h — symbol lookup in the running kernel's own embedded table.
#pragma once

#include <stdint.h>

#include "lib/base/result.h"
#include "lib/ksyms/ksyms.h"

namespace hiillos::panic {

// The table between __ksyms_start and __ksyms_end (kernel.ld); kBadMagic when the image was
// not post-processed by tools/symbols (e.g. a kernel_elf linked without the symbol step).
Result<ksyms::Table, ksyms::Error> KernelSymbolTable();

// The kernel symbol covering `address`.
Result<ksyms::Hit, ksyms::Error> LookupKernelSymbol(uint64_t address);

}  // namespace hiillos::panic
