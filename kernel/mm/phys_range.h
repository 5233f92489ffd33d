// kernel/mm/phys_range.h — a half-open range of physical memory [base, base + size).
#pragma once

#include <stdint.h>

#include "lib/base/page_size.h"

namespace hiillos::mm {

struct PhysRange {
  uint64_t base;
  uint64_t size;

  constexpr uint64_t end() const { return base + size; }  // callers keep base + size in range
  friend constexpr bool operator==(const PhysRange&, const PhysRange&) = default;
};

}  // namespace hiillos::mm
