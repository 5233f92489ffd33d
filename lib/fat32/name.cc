// lib/fat32/name.cc — long/short name conversion, validation and short-name generation.
#include "lib/fat32/name.h"

namespace hiillos::fat32 {
namespace {

char AsciiUpper(char c) {
  return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
}

// Characters a short name may hold besides A-Z and 0-9 (fatgen103 §6.1).
bool IsShortNameSymbol(uint16_t c) {
  constexpr char kSymbols[] = "$%'-_@~`!(){}^#&";
  for (size_t i = 0; i + 1 < sizeof(kSymbols); ++i) {
    if (c == static_cast<uint16_t>(kSymbols[i])) return true;
  }
  return false;
}

bool IsShortNameChar(uint16_t c) {
  return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || IsShortNameSymbol(c);
}

size_t PutUtf8(uint32_t code_point, char* out) {
  if (code_point < 0x80) {
    out[0] = static_cast<char>(code_point);
    return 1;
  }
  if (code_point < 0x800) {
    out[0] = static_cast<char>(0xC0 | (code_point >> 6));
    out[1] = static_cast<char>(0x80 | (code_point & 0x3F));
    return 2;
  }
  if (code_point < 0x10000) {
    out[0] = static_cast<char>(0xE0 | (code_point >> 12));
    out[1] = static_cast<char>(0x80 | ((code_point >> 6) & 0x3F));
    out[2] = static_cast<char>(0x80 | (code_point & 0x3F));
    return 3;
  }
  out[0] = static_cast<char>(0xF0 | (code_point >> 18));
  out[1] = static_cast<char>(0x80 | ((code_point >> 12) & 0x3F));
  out[2] = static_cast<char>(0x80 | ((code_point >> 6) & 0x3F));
  out[3] = static_cast<char>(0x80 | (code_point & 0x3F));
  return 4;
}

// Decodes one UTF-8 sequence at name[*i]; 0xFFFFFFFF when malformed (overlong, surrogate,
// truncated or above U+10FFFF).
uint32_t NextCodePoint(const char* name, size_t length, size_t* i) {
  constexpr uint32_t kInvalid = 0xFFFFFFFF;
  const uint8_t lead = static_cast<uint8_t>(name[(*i)++]);
  if (lead < 0x80) return lead;
  size_t extra = 0;
  uint32_t code_point = 0;
  uint32_t minimum = 0;
  if ((lead & 0xE0) == 0xC0) {
    extra = 1, code_point = lead & 0x1F, minimum = 0x80;
  } else if ((lead & 0xF0) == 0xE0) {
    extra = 2, code_point = lead & 0x0F, minimum = 0x800;
  } else if ((lead & 0xF8) == 0xF0) {
    extra = 3, code_point = lead & 0x07, minimum = 0x10000;
  } else {
    return kInvalid;
  }
  if (length - *i < extra) return kInvalid;
  for (size_t k = 0; k < extra; ++k) {
    const uint8_t byte = static_cast<uint8_t>(name[(*i)++]);
    if ((byte & 0xC0) != 0x80) return kInvalid;
    code_point = (code_point << 6) | (byte & 0x3F);
  }
  if (code_point < minimum || code_point > 0x10FFFF) return kInvalid;
  if (code_point >= 0xD800 && code_point <= 0xDFFF) return kInvalid;
  return code_point;
}

bool IsForbiddenInLongName(uint32_t c) {
  if (c < 0x20 || c == 0x7F) return true;
  constexpr char kForbidden[] = "\"*/:<>?\\|";
  for (size_t i = 0; i + 1 < sizeof(kForbidden); ++i) {
    if (c == static_cast<uint32_t>(kForbidden[i])) return true;
  }
  return false;
}

}  // namespace

uint8_t LfnChecksum(const uint8_t* short_name) {
  uint8_t sum = 0;
  for (size_t i = 0; i < kShortNameBytes; ++i) {
    sum = static_cast<uint8_t>(((sum & 1) << 7) + (sum >> 1) + short_name[i]);
  }
  return sum;
}

size_t ShortNameToUtf8(const uint8_t* short_name, uint8_t case_flags, char* out) {
  size_t length = 0;
  auto append_part = [&](const uint8_t* part, size_t size, bool lower) {
    size_t used = size;
    while (used > 0 && part[used - 1] == ' ') --used;
    for (size_t i = 0; i < used; ++i) {
      uint8_t c = part[i];
      if (i == 0 && part == short_name && c == 0x05) c = 0xE5;
      if (lower && c >= 'A' && c <= 'Z') c = static_cast<uint8_t>(c - 'A' + 'a');
      length += PutUtf8(c, out + length);
    }
    return used;
  };
  append_part(short_name, 8, (case_flags & 0x08) != 0);
  size_t dot = length;
  out[length++] = '.';
  if (append_part(short_name + 8, 3, (case_flags & 0x10) != 0) == 0) length = dot;
  out[length] = '\0';
  return length;
}

size_t Utf16ToUtf8(const uint16_t* units, size_t count, char* out) {
  size_t length = 0;
  for (size_t i = 0; i < count && length + 4 <= kMaxNameBytes; ++i) {
    uint32_t c = units[i];
    if (c >= 0xD800 && c <= 0xDBFF && i + 1 < count && units[i + 1] >= 0xDC00 &&
        units[i + 1] <= 0xDFFF) {
      c = 0x10000 + ((c - 0xD800) << 10) + (units[i + 1] - 0xDC00);
      ++i;
    } else if (c >= 0xD800 && c <= 0xDFFF) {
      c = 0xFFFD;
    }
    length += PutUtf8(c, out + length);
  }
  out[length] = '\0';
  return length;
}

Result<size_t, Error> NameToUtf16(const char* name, size_t length, uint16_t* units) {
  if (length == 0) return Err(Error::kBadName);
  if ((length == 1 && name[0] == '.') || (length == 2 && name[0] == '.' && name[1] == '.')) {
    return Err(Error::kBadName);
  }
  if (name[length - 1] == ' ' || name[length - 1] == '.') return Err(Error::kBadName);
  size_t count = 0;
  for (size_t i = 0; i < length;) {
    const uint32_t c = NextCodePoint(name, length, &i);
    if (c == 0xFFFFFFFF || IsForbiddenInLongName(c)) return Err(Error::kBadName);
    const size_t needed = c >= 0x10000 ? 2 : 1;
    if (count + needed > kMaxNameUnits) return Err(Error::kNameTooLong);
    if (c >= 0x10000) {
      units[count++] = static_cast<uint16_t>(0xD800 + ((c - 0x10000) >> 10));
      units[count++] = static_cast<uint16_t>(0xDC00 + ((c - 0x10000) & 0x3FF));
    } else {
      units[count++] = static_cast<uint16_t>(c);
    }
  }
  return count;
}

bool NamesEqual(const char* a, size_t a_length, const char* b, size_t b_length) {
  if (a_length != b_length) return false;
  for (size_t i = 0; i < a_length; ++i) {
    if (AsciiUpper(a[i]) != AsciiUpper(b[i])) return false;
  }
  return true;
}

bool ExactShortName(const char* name, size_t length, uint8_t* out) {
  for (size_t i = 0; i < kShortNameBytes; ++i) out[i] = ' ';
  size_t base = 0;
  size_t i = 0;
  for (; i < length && name[i] != '.'; ++i) {
    if (base == 8 || !IsShortNameChar(static_cast<uint8_t>(name[i]))) return false;
    out[base++] = static_cast<uint8_t>(name[i]);
  }
  if (base == 0) return false;
  if (i == length) return true;
  ++i;  // the period
  size_t extension = 0;
  for (; i < length; ++i) {
    if (extension == 3 || !IsShortNameChar(static_cast<uint8_t>(name[i]))) return false;
    out[8 + extension++] = static_cast<uint8_t>(name[i]);
  }
  return extension > 0;
}

ShortNameBasis MakeShortNameBasis(const uint16_t* units, size_t count) {
  ShortNameBasis basis{};
  for (uint8_t& c : basis.extension) c = ' ';
  size_t last_dot = count;
  for (size_t i = count; i > 0; --i) {
    if (units[i - 1] == '.') {
      last_dot = i - 1;
      break;
    }
  }
  if (last_dot == 0) last_dot = count;  // ".bashrc": a leading period starts no extension
  auto convert = [](uint16_t c) -> uint8_t {
    if (c >= 'a' && c <= 'z') c = static_cast<uint16_t>(c - 'a' + 'A');
    return IsShortNameChar(c) ? static_cast<uint8_t>(c) : '_';
  };
  for (size_t i = 0; i < last_dot && basis.base_length < 8; ++i) {
    if (units[i] == ' ' || units[i] == '.') continue;
    basis.base[basis.base_length++] = convert(units[i]);
  }
  if (basis.base_length == 0) basis.base[basis.base_length++] = '_';
  size_t extension = 0;
  for (size_t i = last_dot + 1; i < count && extension < 3; ++i) {
    if (units[i] == ' ') continue;
    basis.extension[extension++] = convert(units[i]);
  }
  return basis;
}

void ShortNameWithTail(const ShortNameBasis& basis, uint32_t tail, uint8_t* out) {
  char digits[10];
  size_t digit_count = 0;
  for (uint32_t n = tail; n != 0 || digit_count == 0; n /= 10) {
    digits[digit_count++] = static_cast<char>('0' + n % 10);
  }
  const size_t keep = basis.base_length < 7 - digit_count ? basis.base_length : 7 - digit_count;
  size_t at = 0;
  for (; at < keep; ++at) out[at] = basis.base[at];
  out[at++] = '~';
  while (digit_count > 0) out[at++] = static_cast<uint8_t>(digits[--digit_count]);
  while (at < 8) out[at++] = ' ';
  for (size_t i = 0; i < 3; ++i) out[8 + i] = basis.extension[i];
}

uint32_t ShortNameTail(const ShortNameBasis& basis, const uint8_t* short_name) {
  for (size_t i = 0; i < 3; ++i) {
    if (short_name[8 + i] != basis.extension[i]) return 0;
  }
  size_t end = 8;
  while (end > 0 && short_name[end - 1] == ' ') --end;
  size_t tilde = end;
  while (tilde > 0 && short_name[tilde - 1] != '~') --tilde;
  if (tilde == 0 || tilde == end) return 0;
  --tilde;  // index of '~'
  uint32_t tail = 0;
  for (size_t i = tilde + 1; i < end; ++i) {
    if (short_name[i] < '0' || short_name[i] > '9') return 0;
    tail = tail * 10 + (short_name[i] - '0');
    if (tail >= kMaxShortNameTail) return 0;
  }
  const size_t digit_count = end - tilde - 1;
  const size_t keep = basis.base_length < 7 - digit_count ? basis.base_length : 7 - digit_count;
  if (tilde != keep) return 0;
  for (size_t i = 0; i < keep; ++i) {
    if (short_name[i] != basis.base[i]) return 0;
  }
  return tail;
}

}  // namespace hiillos::fat32
