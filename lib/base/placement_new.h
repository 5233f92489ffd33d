// lib/base/placement_new.h — placement new for freestanding builds; hosted builds use <new>.
#pragma once

#include <stddef.h>

#if __STDC_HOSTED__
#include <new>
#else
inline void* operator new(size_t, void* where) noexcept {
  return where;
}
inline void* operator new[](size_t, void* where) noexcept {
  return where;
}
#endif
