// kernel/panic/host_assert.cc — AssertionFailed for host test binaries: the panic path's line on
// stderr, then abort() (GoogleTest reports the crash with the message above it).
#include <stdio.h>
#include <stdlib.h>

#include "kernel/panic/assert.h"

namespace hiillos::panic {

void AssertionFailed(const char* expression, const char* message, const char* file, int line) {
  fprintf(stderr, "panic: ASSERT(%s) failed at %s:%d: %s\n", expression, file, line, message);
  abort();
}

}  // namespace hiillos::panic
