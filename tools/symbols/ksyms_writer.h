// tools/symbols/ksyms_writer.h — turns ELF symbols into the kernel's .ksyms blob
// (lib/ksyms/ksyms.h).
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <string>
#include <vector>

#include "lib/base/result.h"
#include "tools/symbols/elf_symbols.h"

namespace hiillos::symbols {

// The C++ name with its parameter list and trailing qualifiers removed, so backtraces stay
// short: "hiillos::arch::PerCpuInit(unsigned int, unsigned int)" -> "hiillos::arch::PerCpuInit",
// "hiillos::(anonymous namespace)::Foo::Bar() const" -> "hiillos::(anonymous namespace)::Foo::Bar".
// Names that do not end in a parameter list are returned unchanged.
std::string StripParameters(const std::string& demangled);

// Demangles an Itanium C++ name (abi::__cxa_demangle) and strips parameters; other names
// (extern "C", assembly) come back unchanged.
std::string DisplayName(const std::string& raw_name);

enum class WriterError : uint8_t {
  kTooLarge,        // the table does not fit in `capacity` bytes: raise the reserve
  kTooManySymbols,  // more than 2^32-1 entries, or a size/offset beyond 32 bits
};

// One entry per distinct address (functions over objects, global over local, sized over
// unsized), sorted by address; the result is exactly `capacity` bytes (zero padded).
// `needed` receives the unpadded size (also on kTooLarge).
Result<std::vector<uint8_t>, WriterError> BuildKsyms(const std::vector<ElfSymbol>& symbols,
                                                     size_t capacity, size_t* needed);

}  // namespace hiillos::symbols
