// lib/acpi/aml.h — a bounded reader of AML byte code (ACPI 6.5 §20.2): PkgLength, NameString,
// integer and data objects, and a walk over the namespace objects a table declares (Scope,
// Device, Name, Method) without executing anything.
//
// This is not an interpreter. The walk descends into Scope and Device bodies, records Names
// (their data object bytes) and Methods (their body bytes), and skips every other object by its
// encoded length. When it meets an opcode it cannot size (an expression at namespace level, a
// Processor's body, a conditional definition) it stops reading that scope: objects declared
// after it in the same scope are not seen (`incomplete` counts such stops). Malformed encodings
// (a length past its enclosing package, a bad NameString, nesting deeper than kMaxAmlDepth) are
// errors (kBadAml). Work is linear in the table size: every byte is read at most once per walk.
#pragma once

#include <stdint.h>

#include "lib/acpi/byte_view.h"
#include "lib/acpi/error.h"
#include "lib/base/result.h"

namespace hiillos::acpi {

// Deepest namespace path (and Scope/Device nesting) the reader accepts.
inline constexpr uint32_t kMaxAmlDepth = 16;

// A 4-character NameSeg ("_PRT") as a little-endian word, as it sits in the AML bytes.
constexpr uint32_t AmlSeg(const char (&s)[5]) {
  return static_cast<uint32_t>(static_cast<uint8_t>(s[0])) |
         static_cast<uint32_t>(static_cast<uint8_t>(s[1])) << 8 |
         static_cast<uint32_t>(static_cast<uint8_t>(s[2])) << 16 |
         static_cast<uint32_t>(static_cast<uint8_t>(s[3])) << 24;
}

// A compressed EISA id ("PNP0A08" → 0x080AD041, ACPI 6.5 §6.1.5 _HID, the EISAID macro): what
// `Name (_HID, EisaId ("PNP0A08"))` stores as an integer.
constexpr uint32_t EisaId(const char (&s)[8]) {
  auto hex = [](char c) -> uint32_t {
    return c <= '9' ? static_cast<uint32_t>(c - '0') : static_cast<uint32_t>(c - 'A' + 10);
  };
  uint32_t vendor = (static_cast<uint32_t>(s[0] - 0x40) & 0x1F) << 10 |
                    (static_cast<uint32_t>(s[1] - 0x40) & 0x1F) << 5 |
                    (static_cast<uint32_t>(s[2] - 0x40) & 0x1F);
  uint32_t product = hex(s[3]) << 12 | hex(s[4]) << 8 | hex(s[5]) << 4 | hex(s[6]);
  // Both halves are stored big-endian inside the little-endian dword.
  return (vendor >> 8) | (vendor & 0xFF) << 8 | (product >> 8) << 16 | (product & 0xFF) << 24;
}

// An absolute namespace path: segs[0] is the first segment under the root ("_SB_").
struct AmlPath {
  uint32_t segs[kMaxAmlDepth] = {};
  uint32_t count = 0;

  bool operator==(const AmlPath& other) const;
  // This path with `seg` appended, or kBadAml when it would be deeper than kMaxAmlDepth.
  Result<AmlPath, Error> Child(uint32_t seg) const;
  // This path without its last segment (the root stays the root).
  AmlPath Parent() const;
};

// A NameString as encoded (§20.2.2): rooted ("\"), or `parents` carets ("^"), then segments.
struct AmlName {
  bool rooted = false;
  uint32_t parents = 0;
  uint32_t count = 0;  // 0: the NullName
  uint32_t segs[kMaxAmlDepth] = {};

  // True for a bare single segment, the one form resolved by the search rules (§5.3).
  bool searches_upward() const { return !rooted && parents == 0 && count == 1; }
};

// `name` as seen from `scope`, without the search rules. Errors: kBadAml (more carets than the
// scope has parents, or too deep).
Result<AmlPath, Error> AmlAbsolute(const AmlPath& scope, const AmlName& name);

// Reads AML from a view, one encoding at a time; every read is bounds-checked.
class AmlCursor {
 public:
  AmlCursor(ByteView bytes, uint64_t position) : bytes_(bytes), position_(position) {}

  uint64_t position() const { return position_; }
  bool AtEnd() const { return position_ >= bytes_.size(); }
  const ByteView& bytes() const { return bytes_; }

  Result<uint8_t, Error> Peek() const;
  Result<uint8_t, Error> Byte();
  // A PkgLength (§20.2.4); returns the absolute offset where the package ends, checked to be
  // inside the view. Errors: kBadAml.
  Result<uint64_t, Error> PkgEnd();
  // A NameString (§20.2.2). Errors: kBadAml.
  Result<AmlName, Error> Name();
  // An integer constant: Zero, One, Ones, Byte/Word/DWord/QWordConst (§20.2.3). Errors:
  // kUnsupportedAml (something else: an expression, a name), kBadAml.
  Result<uint64_t, Error> Integer();
  // Skips a DataRefObject a Name may hold: an integer constant, String, Buffer, Package,
  // VarPackage or Revision. Errors: kUnsupportedAml (anything else), kBadAml.
  Result<void, Error> SkipDataObject();

 private:
  ByteView bytes_;
  uint64_t position_;
};

enum class AmlObjectKind : uint8_t { kDevice, kName, kMethod };

// One object the walk found. `body`: a Name's data object (exactly its bytes), a Method's
// TermList (after its flags byte), a Device's TermList.
struct AmlObject {
  AmlObjectKind kind = AmlObjectKind::kName;
  AmlPath path;
  ByteView body;
  uint8_t method_flags = 0;  // Methods: bits 0-2 the argument count
};

// Called for each object in table order; returns true to stop the walk.
using AmlVisitor = bool (*)(void* context, const AmlObject& object);

struct AmlWalkResult {
  bool stopped = false;     // the visitor asked to stop
  uint32_t incomplete = 0;  // scopes whose rest was not read (unknown opcode)
};

// Walks the definition blocks `tables` (each an AML body: a DSDT or SSDT without its 36-byte
// header) in order. Errors: kBadAml.
Result<AmlWalkResult, Error> WalkAml(const ByteView* tables, uint32_t table_count,
                                     AmlVisitor visitor, void* context);

// The object at exactly `path`. Errors: kNotFound, kBadAml.
Result<AmlObject, Error> FindAmlObject(const ByteView* tables, uint32_t table_count,
                                       const AmlPath& path);
// `name` as referenced from code or data in `scope`, with the search rules for a bare segment
// (the scope, then each parent up to the root). Errors: kNotFound, kBadAml.
Result<AmlObject, Error> ResolveAmlName(const ByteView* tables, uint32_t table_count,
                                        const AmlPath& scope, const AmlName& name);

}  // namespace hiillos::acpi
