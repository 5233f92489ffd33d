// tools/symbols/ksyms_build_main.cc — `ksyms_build KERNEL.elf OUT.blob`: the .ksyms contents.
//
// Reads the linked kernel's .symtab and writes a blob exactly as large as its .ksyms section,
// ready for `llvm-objcopy --update-section .ksyms=OUT.blob` (symbolized_kernel.bzl).
#include <stdio.h>

#include <fstream>
#include <iterator>
#include <vector>

#include "tools/symbols/elf_symbols.h"
#include "tools/symbols/ksyms_writer.h"

int main(int argc, char** argv) {
  using namespace hiillos::symbols;
  if (argc != 3) {
    fprintf(stderr, "usage: %s KERNEL.elf OUT.blob\n", argv[0]);
    return 2;
  }
  std::ifstream in(argv[1], std::ios::binary);
  if (!in) {
    fprintf(stderr, "ksyms_build: cannot read %s\n", argv[1]);
    return 1;
  }
  std::vector<uint8_t> elf((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto parsed = ReadElfSymbols(elf.data(), elf.size());
  if (!parsed.ok()) {
    fprintf(stderr, "ksyms_build: %s: %s\n", argv[1], ElfErrorString(parsed.error()));
    return 1;
  }
  if (!parsed.value().has_ksyms) {
    fprintf(stderr,
            "ksyms_build: %s: no .ksyms section (link //kernel/panic:kernel_symbols into it)\n",
            argv[1]);
    return 1;
  }
  size_t needed = 0;
  auto blob = BuildKsyms(parsed.value().symbols, parsed.value().ksyms_size, &needed);
  if (!blob.ok()) {
    if (blob.error() == WriterError::kTooLarge) {
      fprintf(stderr,
              "ksyms_build: the symbol table needs %zu bytes but .ksyms reserves %lu: raise the "
              "size in kernel/panic/ksyms_reserve.S\n",
              needed, static_cast<unsigned long>(parsed.value().ksyms_size));
    } else {
      fprintf(stderr, "ksyms_build: too many symbols for the 32-bit table format\n");
    }
    return 1;
  }
  std::ofstream out(argv[2], std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(blob.value().data()),
            static_cast<std::streamsize>(blob.value().size()));
  if (!out) {
    fprintf(stderr, "ksyms_build: cannot write %s\n", argv[2]);
    return 1;
  }
  return 0;
}
