// lib/acpi/phys_reader.h — how the parsers reach physical memory: a bounded read callback.
//
// The kernel implements the callback with its direct map (HHDM), checking the range against the
// boot memory map; tests and the fuzzer implement it over a byte buffer. The parsers never form
// a pointer to firmware memory by themselves: every access goes through Read(), which asks for
// an exact range and gets either a view of exactly that many bytes or an error.
#pragma once

#include <stdint.h>

#include "lib/acpi/byte_view.h"
#include "lib/acpi/error.h"
#include "lib/base/checked.h"
#include "lib/base/result.h"

namespace hiillos::acpi {

class PhysReader {
 public:
  // Returns a view of exactly `length` bytes at physical address `phys`, or an error (normally
  // kReadFailed) when the range is not readable memory. The view must stay valid for as long as
  // the PhysReader is used (the parsers copy everything they return out of it).
  using ReadFn = Result<ByteView, Error> (*)(void* context, uint64_t phys, uint64_t length);

  constexpr PhysReader(ReadFn read, void* context) : read_(read), context_(context) {}

  // Checks what the callback promises instead of trusting it: the range must not wrap, and the
  // returned view must have the requested size.
  Result<ByteView, Error> Read(uint64_t phys, uint64_t length) const {
    uint64_t end = 0;
    if (read_ == nullptr || !CheckedAdd(phys, length, &end)) return Err(Error::kReadFailed);
    ByteView view = TRY(read_(context_, phys, length));
    if (view.size() != length || (length != 0 && view.data() == nullptr)) {
      return Err(Error::kReadFailed);
    }
    return view;
  }

 private:
  ReadFn read_;
  void* context_;
};

}  // namespace hiillos::acpi
