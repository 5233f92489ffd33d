// lib/chacha20/wipe.h — erasing secrets (keys, keystream) so the compiler cannot drop the stores.
#pragma once

#include <stddef.h>

namespace hiillos::chacha20 {

// Overwrites bytes[0, length) with zeros through a volatile pointer: the stores happen even when
// the buffer is never read again.
inline void Wipe(void* bytes, size_t length) {
  volatile unsigned char* p = static_cast<volatile unsigned char*>(bytes);
  for (size_t i = 0; i < length; ++i) p[i] = 0;
}

}  // namespace hiillos::chacha20
