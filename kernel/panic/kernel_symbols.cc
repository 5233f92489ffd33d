// kernel/panic/kernel_symbols.cc — the kernel's .ksyms section as a ksyms::Table.
#include "kernel/panic/kernel_symbols.h"

#include <stddef.h>

// kernel.ld: bounds of the .ksyms output section (filled by the build, see ksyms_reserve.S).
extern "C" const uint8_t __ksyms_start[];
extern "C" const uint8_t __ksyms_end[];

namespace hiillos::panic {

Result<ksyms::Table, ksyms::Error> KernelSymbolTable() {
  return ksyms::Table::Parse(__ksyms_start, static_cast<size_t>(__ksyms_end - __ksyms_start));
}

Result<ksyms::Hit, ksyms::Error> LookupKernelSymbol(uint64_t address) {
  ksyms::Table table = TRY(KernelSymbolTable());
  return table.Lookup(address);
}

}  // namespace hiillos::panic
