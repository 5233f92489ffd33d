// tools/symbols/elf_symbols_fuzzer.cc — ELF symbol reading and blob building on arbitrary bytes.
#include <stddef.h>
#include <stdint.h>

#include "tools/symbols/elf_symbols.h"
#include "tools/symbols/ksyms_writer.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace hiillos::symbols;
  auto parsed = ReadElfSymbols(data, size);
  if (!parsed.ok()) return 0;
  auto blob = BuildKsyms(parsed.value().symbols, 1 << 16, nullptr);
  (void)blob;
  return 0;
}
