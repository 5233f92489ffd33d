// kernel/test/ktest.h — in-kernel tests: KTEST(suite, name) registers a test in the .ktest
// section; the runner (ktest_runner.h) runs them in a test build (`hiillos.test=ktest`).
//
//   KTEST(pmm, allocations_do_not_overlap) {
//     auto a = ...;
//     KEXPECT(a.ok());
//     KEXPECT_EQ(x, 4096u);
//   }
#pragma once

#include <stdint.h>

namespace hiillos::ktest {

class Context {
 public:
  // Records a failed expectation and prints where it failed. Returns `condition`.
  bool Check(bool condition, const char* expression, const char* file, int line);
  bool CheckEqual(uint64_t actual, uint64_t expected, const char* expression, const char* file,
                  int line);
  bool failed() const { return failures_ != 0; }

 private:
  uint32_t failures_ = 0;
};

struct Entry {
  const char* suite;
  const char* name;
  void (*function)(Context&);
};

}  // namespace hiillos::ktest

#define KTEST(suite, name)                                                                         \
  static void ktest_##suite##_##name(::hiillos::ktest::Context& kt);                               \
  [[gnu::used,                                                                                     \
    gnu::section(".ktest")]] static const ::hiillos::ktest::Entry ktest_entry_##suite##_##name = { \
      #suite, #name, ktest_##suite##_##name};                                                      \
  static void ktest_##suite##_##name(::hiillos::ktest::Context& kt)

// Continue after a failed expectation.
#define KEXPECT(condition) kt.Check(static_cast<bool>(condition), #condition, __FILE__, __LINE__)
#define KEXPECT_EQ(actual, expected)                                            \
  kt.CheckEqual(static_cast<uint64_t>(actual), static_cast<uint64_t>(expected), \
                #actual " == " #expected, __FILE__, __LINE__)
// Stop the test after a failed expectation.
#define KASSERT(condition)           \
  do {                               \
    if (!KEXPECT(condition)) return; \
  } while (0)
