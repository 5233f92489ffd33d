// lib/base/page_size.h — kPageSize: the size of the smallest page and of a page-table page
// (4 KiB on x86-64, Intel SDM Vol.3A §4.5), the one definition loader, kernel, servers and
// host tests use.
#pragma once

#include <stdint.h>

namespace hiillos {

inline constexpr uint64_t kPageShift = 12;
inline constexpr uint64_t kPageSize = uint64_t{1} << kPageShift;

}  // namespace hiillos
