// tools/symbols/ksyms_writer.cc — symbol selection, name shortening and blob layout.
#include "tools/symbols/ksyms_writer.h"

#include <cxxabi.h>
#include <stdlib.h>
#include <string.h>

#include <algorithm>
#include <map>

#include "lib/ksyms/ksyms.h"

namespace hiillos::symbols {
namespace {

bool EndsWith(const std::string& text, const std::string& suffix) {
  return text.size() >= suffix.size() &&
         text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// Lower rank wins when several symbols share an address.
int Rank(const ElfSymbol& symbol) {
  return (symbol.function ? 0 : 4) + (symbol.global ? 0 : 2) + (symbol.size != 0 ? 0 : 1);
}

}  // namespace

std::string StripParameters(const std::string& demangled) {
  std::string name = demangled;
  // GCC/clang clone suffixes such as " [clone .cold]" go after the shortened name again.
  std::string clone;
  size_t clone_at = name.rfind(" [clone ");
  if (clone_at != std::string::npos && EndsWith(name, "]")) {
    clone = name.substr(clone_at);
    name.erase(clone_at);
  }
  // Trailing qualifiers of member functions.
  static const char* const kQualifiers[] = {" const", " volatile", " &&", " &", " noexcept"};
  for (bool changed = true; changed;) {
    changed = false;
    for (const char* qualifier : kQualifiers) {
      if (EndsWith(name, qualifier)) {
        name.erase(name.size() - strlen(qualifier));
        changed = true;
      }
    }
  }
  if (!EndsWith(name, ")")) return demangled;
  // Find the '(' matching the final ')'.
  int depth = 0;
  for (size_t i = name.size(); i-- > 0;) {
    if (name[i] == ')') {
      ++depth;
    } else if (name[i] == '(') {
      if (--depth == 0) {
        if (i == 0) return demangled;
        return name.substr(0, i) + clone;
      }
    }
  }
  return demangled;  // unbalanced: leave it alone
}

std::string DisplayName(const std::string& raw_name) {
  if (raw_name.rfind("_Z", 0) != 0) return raw_name;
  int status = 0;
  char* demangled = abi::__cxa_demangle(raw_name.c_str(), nullptr, nullptr, &status);
  if (status != 0 || demangled == nullptr) {
    free(demangled);
    return raw_name;
  }
  std::string result = StripParameters(demangled);
  free(demangled);
  return result;
}

Result<std::vector<uint8_t>, WriterError> BuildKsyms(const std::vector<ElfSymbol>& symbols,
                                                     size_t capacity, size_t* needed) {
  // Best symbol per address.
  std::map<uint64_t, const ElfSymbol*> chosen;
  for (const ElfSymbol& symbol : symbols) {
    auto [it, inserted] = chosen.emplace(symbol.address, &symbol);
    if (!inserted) {
      const ElfSymbol* current = it->second;
      if (Rank(symbol) < Rank(*current) ||
          (Rank(symbol) == Rank(*current) && symbol.name < current->name)) {
        it->second = &symbol;
      }
    }
  }
  if (chosen.size() > 0xffff'ffffull) return Err{WriterError::kTooManySymbols};

  // Names, deduplicated.
  std::string strings;
  std::map<std::string, uint32_t> name_offsets;
  std::vector<ksyms::Entry> entries;
  entries.reserve(chosen.size());
  for (const auto& [address, symbol] : chosen) {
    std::string name = DisplayName(symbol->name);
    auto [it, inserted] = name_offsets.emplace(name, static_cast<uint32_t>(strings.size()));
    if (inserted) {
      if (strings.size() + name.size() + 1 > 0xffff'ffffull) {
        return Err{WriterError::kTooManySymbols};
      }
      strings += name;
      strings.push_back('\0');
    }
    if (symbol->size > 0xffff'ffffull) return Err{WriterError::kTooManySymbols};
    entries.push_back(ksyms::Entry{address, static_cast<uint32_t>(symbol->size), it->second});
  }
  if (strings.empty()) strings.push_back('\0');  // the format needs a non-empty string area

  size_t entries_bytes = entries.size() * sizeof(ksyms::Entry);
  size_t total = sizeof(ksyms::Header) + entries_bytes + strings.size();
  if (needed != nullptr) *needed = total;
  if (total > capacity || total > 0xffff'ffffull) return Err{WriterError::kTooLarge};

  ksyms::Header header{};
  header.magic = ksyms::kMagic;
  header.version = ksyms::kVersion;
  header.count = static_cast<uint32_t>(entries.size());
  header.strings_offset = static_cast<uint32_t>(sizeof(ksyms::Header) + entries_bytes);
  header.strings_size = static_cast<uint32_t>(strings.size());

  std::vector<uint8_t> blob(capacity, 0);
  memcpy(blob.data(), &header, sizeof(header));
  if (!entries.empty()) memcpy(blob.data() + sizeof(header), entries.data(), entries_bytes);
  memcpy(blob.data() + header.strings_offset, strings.data(), strings.size());
  return blob;
}

}  // namespace hiillos::symbols
