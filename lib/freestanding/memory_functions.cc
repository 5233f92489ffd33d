// lib/freestanding/memory_functions.cc — memcpy, memmove, memset and memcmp for freestanding
// binaries (kernel, servers): the compiler emits calls to these even with -ffreestanding.
// memcpy and memset move 8 bytes per element (rep movsq / rep stosq) and the tail bytewise: the
// kernel zeroes every page it hands out and the loaders copy whole images, and under QEMU's
// -icount (the benchmark's clock) each element of a rep string instruction counts as one
// instruction, so a page costs 512 instead of 4096.
#include <stddef.h>
#include <stdint.h>

extern "C" {

void* memcpy(void* __restrict dest, const void* __restrict src, size_t n) {
  auto* d = static_cast<uint8_t*>(dest);
  const auto* s = static_cast<const uint8_t*>(src);
  size_t words = n / 8;
  size_t tail = n % 8;
  asm volatile("rep movsq" : "+D"(d), "+S"(s), "+c"(words) : : "memory");
  asm volatile("rep movsb" : "+D"(d), "+S"(s), "+c"(tail) : : "memory");
  return dest;
}

void* memmove(void* dest, const void* src, size_t n) {
  auto* d = static_cast<uint8_t*>(dest);
  const auto* s = static_cast<const uint8_t*>(src);
  if (d == s || n == 0) return dest;
  if (d < s || d >= s + n) return memcpy(dest, src, n);
  // Overlapping with dest after src: copy backwards.
  for (size_t i = n; i > 0; --i) d[i - 1] = s[i - 1];
  return dest;
}

void* memset(void* dest, int value, size_t n) {
  auto* d = static_cast<uint8_t*>(dest);
  const uint64_t pattern = uint64_t{0x0101'0101'0101'0101} * static_cast<uint8_t>(value);
  size_t words = n / 8;
  size_t tail = n % 8;
  asm volatile("rep stosq" : "+D"(d), "+c"(words) : "a"(pattern) : "memory");
  asm volatile("rep stosb" : "+D"(d), "+c"(tail) : "a"(pattern) : "memory");
  return dest;
}

int memcmp(const void* a, const void* b, size_t n) {
  const auto* x = static_cast<const uint8_t*>(a);
  const auto* y = static_cast<const uint8_t*>(b);
  for (size_t i = 0; i < n; ++i) {
    if (x[i] != y[i]) return x[i] < y[i] ? -1 : 1;
  }
  return 0;
}

}  // extern "C"
