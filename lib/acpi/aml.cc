// lib/acpi/aml.cc — AML encodings (PkgLength, NameString, constants, data objects) and the
// namespace walk over Scope/Device/Name/Method (aml.h).
#include "lib/acpi/aml.h"

namespace hiillos::acpi {
namespace {

// ACPI 6.5 §20.3 opcodes the reader knows.
constexpr uint8_t kZeroOp = 0x00;
constexpr uint8_t kOneOp = 0x01;
constexpr uint8_t kAliasOp = 0x06;
constexpr uint8_t kNameOp = 0x08;
constexpr uint8_t kByteConst = 0x0A;
constexpr uint8_t kWordConst = 0x0B;
constexpr uint8_t kDWordConst = 0x0C;
constexpr uint8_t kStringPrefix = 0x0D;
constexpr uint8_t kQWordConst = 0x0E;
constexpr uint8_t kScopeOp = 0x10;
constexpr uint8_t kBufferOp = 0x11;
constexpr uint8_t kPackageOp = 0x12;
constexpr uint8_t kVarPackageOp = 0x13;
constexpr uint8_t kMethodOp = 0x14;
constexpr uint8_t kExternalOp = 0x15;
constexpr uint8_t kDualNamePrefix = 0x2E;
constexpr uint8_t kMultiNamePrefix = 0x2F;
constexpr uint8_t kExtOpPrefix = 0x5B;
constexpr uint8_t kRootChar = 0x5C;
constexpr uint8_t kParentPrefix = 0x5E;
constexpr uint8_t kOnesOp = 0xFF;
// After kExtOpPrefix.
constexpr uint8_t kMutexOp = 0x01;
constexpr uint8_t kEventOp = 0x02;
constexpr uint8_t kRevisionOp = 0x30;
constexpr uint8_t kOpRegionOp = 0x80;
constexpr uint8_t kFieldOp = 0x81;
constexpr uint8_t kDeviceOp = 0x82;
constexpr uint8_t kProcessorOp = 0x83;
constexpr uint8_t kPowerResOp = 0x84;
constexpr uint8_t kThermalZoneOp = 0x85;
constexpr uint8_t kIndexFieldOp = 0x86;
constexpr uint8_t kBankFieldOp = 0x87;

bool IsLeadNameChar(uint8_t c) {
  return (c >= 'A' && c <= 'Z') || c == '_';
}
bool IsNameChar(uint8_t c) {
  return IsLeadNameChar(c) || (c >= '0' && c <= '9');
}

}  // namespace

bool AmlPath::operator==(const AmlPath& other) const {
  if (count != other.count) return false;
  for (uint32_t i = 0; i < count; ++i) {
    if (segs[i] != other.segs[i]) return false;
  }
  return true;
}

Result<AmlPath, Error> AmlPath::Child(uint32_t seg) const {
  if (count >= kMaxAmlDepth) return Err(Error::kBadAml);
  AmlPath child = *this;
  child.segs[child.count++] = seg;
  return child;
}

AmlPath AmlPath::Parent() const {
  AmlPath parent = *this;
  if (parent.count > 0) --parent.count;
  return parent;
}

Result<AmlPath, Error> AmlAbsolute(const AmlPath& scope, const AmlName& name) {
  AmlPath path;
  if (!name.rooted) {
    if (name.parents > scope.count) return Err(Error::kBadAml);
    path = scope;
    path.count -= name.parents;
  }
  for (uint32_t i = 0; i < name.count; ++i) path = TRY(path.Child(name.segs[i]));
  return path;
}

Result<uint8_t, Error> AmlCursor::Peek() const {
  return bytes_.U8(position_);
}

Result<uint8_t, Error> AmlCursor::Byte() {
  uint8_t value = TRY(bytes_.U8(position_));
  ++position_;
  return value;
}

Result<uint64_t, Error> AmlCursor::PkgEnd() {
  const uint64_t start = position_;
  auto lead = Byte();
  if (!lead.ok()) return Err(Error::kBadAml);
  const uint32_t follow = lead.value() >> 6;
  uint64_t length = 0;
  if (follow == 0) {
    length = lead.value() & 0x3F;
  } else {
    if ((lead.value() & 0x30) != 0) return Err(Error::kBadAml);  // reserved bits (§20.2.4)
    length = lead.value() & 0x0F;
    for (uint32_t i = 0; i < follow; ++i) {
      auto next = Byte();
      if (!next.ok()) return Err(Error::kBadAml);
      length |= static_cast<uint64_t>(next.value()) << (4 + 8 * i);
    }
  }
  // The length counts its own bytes, so it is at least as long as the encoding.
  if (length < position_ - start || !RangeInside(start, length, bytes_.size())) {
    return Err(Error::kBadAml);
  }
  return start + length;
}

Result<AmlName, Error> AmlCursor::Name() {
  AmlName name;
  auto next = Peek();
  if (!next.ok()) return Err(Error::kBadAml);
  if (next.value() == kRootChar) {
    name.rooted = true;
    ++position_;
  } else {
    while (Peek().ok() && Peek().value() == kParentPrefix) {
      if (++name.parents > kMaxAmlDepth) return Err(Error::kBadAml);
      ++position_;
    }
  }
  auto prefix = Peek();
  if (!prefix.ok()) return Err(Error::kBadAml);
  uint32_t count = 1;
  if (prefix.value() == kZeroOp) {  // NullName
    ++position_;
    return name;
  } else if (prefix.value() == kDualNamePrefix) {
    ++position_;
    count = 2;
  } else if (prefix.value() == kMultiNamePrefix) {
    ++position_;
    auto n = Byte();
    if (!n.ok() || n.value() == 0) return Err(Error::kBadAml);
    count = n.value();
  }
  if (count > kMaxAmlDepth) return Err(Error::kBadAml);
  for (uint32_t i = 0; i < count; ++i) {
    auto seg = bytes_.U32(position_);
    if (!seg.ok()) return Err(Error::kBadAml);
    const uint32_t value = seg.value();
    if (!IsLeadNameChar(value & 0xFF)) return Err(Error::kBadAml);
    for (uint32_t c = 1; c < 4; ++c) {
      if (!IsNameChar((value >> (8 * c)) & 0xFF)) return Err(Error::kBadAml);
    }
    name.segs[i] = value;
    position_ += 4;
  }
  name.count = count;
  return name;
}

Result<uint64_t, Error> AmlCursor::Integer() {
  auto op = Peek();
  if (!op.ok()) return Err(Error::kBadAml);
  uint64_t size = 0;
  switch (op.value()) {
    case kZeroOp:
      ++position_;
      return uint64_t{0};
    case kOneOp:
      ++position_;
      return uint64_t{1};
    case kOnesOp:
      ++position_;
      return ~uint64_t{0};
    case kByteConst:
      size = 1;
      break;
    case kWordConst:
      size = 2;
      break;
    case kDWordConst:
      size = 4;
      break;
    case kQWordConst:
      size = 8;
      break;
    default:
      return Err(Error::kUnsupportedAml);
  }
  if (!RangeInside(position_ + 1, size, bytes_.size())) return Err(Error::kBadAml);
  uint64_t value = 0;
  for (uint64_t i = 0; i < size; ++i) {
    value |= static_cast<uint64_t>(bytes_.data()[position_ + 1 + i]) << (8 * i);
  }
  position_ += 1 + size;
  return value;
}

Result<void, Error> AmlCursor::SkipDataObject() {
  auto op = Peek();
  if (!op.ok()) return Err(Error::kBadAml);
  switch (op.value()) {
    case kStringPrefix:
      ++position_;
      while (true) {
        auto c = Byte();
        if (!c.ok()) return Err(Error::kBadAml);
        if (c.value() == 0) return Ok<Error>();
      }
    case kBufferOp:
    case kPackageOp:
    case kVarPackageOp: {
      ++position_;
      position_ = TRY(PkgEnd());
      return Ok<Error>();
    }
    case kExtOpPrefix: {
      auto ext = bytes_.U8(position_ + 1);
      if (!ext.ok() || ext.value() != kRevisionOp) return Err(Error::kUnsupportedAml);
      position_ += 2;
      return Ok<Error>();
    }
    default:
      (void)TRY(Integer());
      return Ok<Error>();
  }
}

namespace {

struct Walker {
  const AmlVisitor visitor;
  void* const context;
  AmlWalkResult result;
};

// Walks the TermList in [cursor, end) declared in `scope`. Returns true when the visitor
// stopped the walk.
Result<bool, Error> WalkTermList(Walker& walker, ByteView bytes, uint64_t begin, uint64_t end,
                                 const AmlPath& scope, uint32_t depth) {
  if (depth > kMaxAmlDepth) return Err(Error::kBadAml);
  const ByteView view = TRY(bytes.Prefix(end));
  AmlCursor cursor(view, begin);
  while (!cursor.AtEnd()) {
    const uint8_t op = TRY(cursor.Byte());
    if (op == kScopeOp || op == kMethodOp) {
      const uint64_t object_end = TRY(cursor.PkgEnd());
      AmlCursor inner(TRY(view.Prefix(object_end)), cursor.position());
      const AmlName name = TRY(inner.Name());
      const AmlPath path = TRY(AmlAbsolute(scope, name));
      if (op == kScopeOp) {
        if (TRY(WalkTermList(walker, view, inner.position(), object_end, path, depth + 1))) {
          return true;
        }
      } else {
        AmlObject object;
        object.kind = AmlObjectKind::kMethod;
        object.path = path;
        object.method_flags = TRY(inner.Byte());
        object.body = TRY(view.Sub(inner.position(), object_end - inner.position()));
        if (walker.visitor(walker.context, object)) return true;
      }
      cursor = AmlCursor(view, object_end);
    } else if (op == kNameOp) {
      const AmlName name = TRY(cursor.Name());
      const uint64_t value_start = cursor.position();
      auto skipped = cursor.SkipDataObject();
      if (!skipped.ok()) {
        if (skipped.error() != Error::kUnsupportedAml) return Err(skipped.error());
        ++walker.result.incomplete;
        return false;
      }
      AmlObject object;
      object.kind = AmlObjectKind::kName;
      object.path = TRY(AmlAbsolute(scope, name));
      object.body = TRY(view.Sub(value_start, cursor.position() - value_start));
      if (walker.visitor(walker.context, object)) return true;
    } else if (op == kExternalOp) {
      (void)TRY(cursor.Name());
      (void)TRY(cursor.Byte());  // ObjectType
      (void)TRY(cursor.Byte());  // ArgumentCount
    } else if (op == kAliasOp) {
      (void)TRY(cursor.Name());
      (void)TRY(cursor.Name());
    } else if (op == kExtOpPrefix) {
      auto ext = cursor.Byte();
      if (!ext.ok()) return Err(Error::kBadAml);
      switch (ext.value()) {
        case kDeviceOp: {
          const uint64_t object_end = TRY(cursor.PkgEnd());
          AmlCursor inner(TRY(view.Prefix(object_end)), cursor.position());
          AmlObject object;
          object.kind = AmlObjectKind::kDevice;
          object.path = TRY(AmlAbsolute(scope, TRY(inner.Name())));
          object.body = TRY(view.Sub(inner.position(), object_end - inner.position()));
          if (walker.visitor(walker.context, object)) return true;
          if (TRY(WalkTermList(walker, view, inner.position(), object_end, object.path,
                               depth + 1))) {
            return true;
          }
          cursor = AmlCursor(view, object_end);
          break;
        }
        case kFieldOp:
        case kIndexFieldOp:
        case kBankFieldOp:
        case kProcessorOp:
        case kPowerResOp:
        case kThermalZoneOp:
          // Sized by their PkgLength; nothing in them matters for what we look up.
          cursor = AmlCursor(view, TRY(cursor.PkgEnd()));
          break;
        case kMutexOp:
          (void)TRY(cursor.Name());
          (void)TRY(cursor.Byte());  // SyncFlags
          break;
        case kEventOp:
          (void)TRY(cursor.Name());
          break;
        case kOpRegionOp: {
          (void)TRY(cursor.Name());
          (void)TRY(cursor.Byte());  // RegionSpace
          // Offset and length are TermArgs; only constants can be sized without evaluating.
          auto offset = cursor.Integer();
          auto length = offset.ok() ? cursor.Integer() : offset;
          if (!length.ok()) {
            if (length.error() != Error::kUnsupportedAml) return Err(length.error());
            ++walker.result.incomplete;
            return false;
          }
          break;
        }
        default:
          ++walker.result.incomplete;
          return false;
      }
    } else {
      // An opcode we cannot size here (If/Else around definitions, CreateField, a method
      // call...): the rest of this scope is not read.
      ++walker.result.incomplete;
      return false;
    }
  }
  return false;
}

}  // namespace

Result<AmlWalkResult, Error> WalkAml(const ByteView* tables, uint32_t table_count,
                                     AmlVisitor visitor, void* context) {
  Walker walker{visitor, context, {}};
  for (uint32_t i = 0; i < table_count; ++i) {
    if (TRY(WalkTermList(walker, tables[i], 0, tables[i].size(), AmlPath(), 0))) {
      walker.result.stopped = true;
      break;
    }
  }
  return walker.result;
}

namespace {

struct FindContext {
  const AmlPath* path;
  AmlObject found;
  bool ok = false;
};

bool MatchPath(void* context, const AmlObject& object) {
  auto* find = static_cast<FindContext*>(context);
  if (!(object.path == *find->path)) return false;
  find->found = object;
  find->ok = true;
  return true;
}

}  // namespace

Result<AmlObject, Error> FindAmlObject(const ByteView* tables, uint32_t table_count,
                                       const AmlPath& path) {
  FindContext find{&path, {}, false};
  (void)TRY(WalkAml(tables, table_count, &MatchPath, &find));
  if (!find.ok) return Err(Error::kNotFound);
  return find.found;
}

Result<AmlObject, Error> ResolveAmlName(const ByteView* tables, uint32_t table_count,
                                        const AmlPath& scope, const AmlName& name) {
  if (name.count == 0) return Err(Error::kNotFound);
  if (!name.searches_upward()) {
    return FindAmlObject(tables, table_count, TRY(AmlAbsolute(scope, name)));
  }
  AmlPath at = scope;
  while (true) {
    auto found = FindAmlObject(tables, table_count, TRY(at.Child(name.segs[0])));
    if (found.ok() || found.error() != Error::kNotFound) return found;
    if (at.count == 0) return Err(Error::kNotFound);
    at = at.Parent();
  }
}

}  // namespace hiillos::acpi
