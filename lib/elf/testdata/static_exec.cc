// lib/elf/testdata/static_exec.cc — a tiny static, non-PIE executable for the validator's test.
//
// Built with -nostdlib -static -no-pie so the linker produces a real ET_EXEC with a code, a
// read-only and a writable segment (the test only parses it, never runs it).
#include <stdint.h>

volatile uint64_t counter = 1;               // .data: writable segment
const char kMessage[] = "hiillos elf test";  // .rodata: read-only segment

extern "C" [[noreturn]] void _start() {
  counter = counter + static_cast<uint64_t>(kMessage[0]);
  for (;;) __asm__ volatile("pause");
}
