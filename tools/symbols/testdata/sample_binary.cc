// tools/symbols/testdata/sample_binary.cc — a host program with known symbols and a .ksyms
// section, parsed (never run) by elf_symbols_test.
#include <stdint.h>

namespace sample {
[[gnu::noinline, gnu::used]] int NamespacedFunction(int value, const char* text) {
  return value + (text != nullptr ? text[0] : 0);
}
}  // namespace sample

extern "C" [[gnu::noinline, gnu::used]] int SampleCFunction(int value) {
  return value * 3 + 1;
}

[[gnu::used]] int64_t g_sample_object[4] = {1, 2, 3, 4};

// Like the kernel's ksyms_reserve.S: a fixed-size reserve in its own section.
[[gnu::used, gnu::section(".ksyms")]] const uint8_t g_ksyms_reserve[8192] = {1};

int main(int argc, char** argv) {
  return sample::NamespacedFunction(argc, argv[0]) + SampleCFunction(argc) +
         static_cast<int>(g_sample_object[argc & 3]) + g_ksyms_reserve[argc & 1];
}
