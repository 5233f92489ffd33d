// lib/acpi/byte_view.h — a bounded, read-only view of firmware bytes with little-endian loads.
//
// Every load checks its offset against the view's size, so a parser holding a ByteView cannot
// read outside it whatever the table claims. Loads need no alignment (ACPI tables are packed;
// e.g. XSDT entries sit at offset 36, which is not 8-byte aligned).
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "lib/acpi/error.h"
#include "lib/base/checked.h"
#include "lib/base/result.h"

namespace hiillos::acpi {

class ByteView {
 public:
  constexpr ByteView() = default;
  constexpr ByteView(const uint8_t* data, uint64_t size) : data_(data), size_(size) {}

  constexpr const uint8_t* data() const { return data_; }
  constexpr uint64_t size() const { return size_; }

  // The sub-view [offset, offset + length), or kOutOfBounds.
  Result<ByteView, Error> Sub(uint64_t offset, uint64_t length) const {
    if (!RangeInside(offset, length, size_)) return Err(Error::kOutOfBounds);
    return ByteView(data_ + offset, length);
  }
  // The first `length` bytes, or kOutOfBounds.
  Result<ByteView, Error> Prefix(uint64_t length) const { return Sub(0, length); }

  Result<uint8_t, Error> U8(uint64_t offset) const { return Load<uint8_t>(offset); }
  Result<uint16_t, Error> U16(uint64_t offset) const { return Load<uint16_t>(offset); }
  Result<uint32_t, Error> U32(uint64_t offset) const { return Load<uint32_t>(offset); }
  Result<uint64_t, Error> U64(uint64_t offset) const { return Load<uint64_t>(offset); }

  // True when bytes [offset, offset + n) equal `expected` (false when out of bounds).
  bool Equals(uint64_t offset, const char* expected, uint64_t n) const {
    if (!RangeInside(offset, n, size_)) return false;
    for (uint64_t i = 0; i < n; ++i) {
      if (data_[offset + i] != static_cast<uint8_t>(expected[i])) return false;
    }
    return true;
  }

  // Sum of all bytes mod 256; ACPI structures are valid when this is 0 (ACPI 6.5 §5.2.5.3,
  // §5.2.6).
  uint8_t Sum() const {
    uint8_t sum = 0;
    for (uint64_t i = 0; i < size_; ++i) sum = static_cast<uint8_t>(sum + data_[i]);
    return sum;
  }

 private:
  // ACPI is little-endian and so is x86-64; the loads assemble bytes explicitly anyway so the
  // host tests mean the same thing on any host.
  template <typename T>
  Result<T, Error> Load(uint64_t offset) const {
    if (!RangeInside(offset, sizeof(T), size_)) return Err(Error::kOutOfBounds);
    T value = 0;
    for (size_t i = 0; i < sizeof(T); ++i) {
      value = static_cast<T>(value | (static_cast<T>(data_[offset + i]) << (8 * i)));
    }
    return value;
  }

  const uint8_t* data_ = nullptr;
  uint64_t size_ = 0;
};

}  // namespace hiillos::acpi
