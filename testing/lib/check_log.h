// testing/lib/check_log.h — a guest test program's checks: each counted as passed or failed and
// printed as "<test>: ok: WHAT" (unless only failures are printed) or "<test>: FAILED: WHAT",
// and the summary line "<test>: P passed, F failed" that the QEMU tests look for.
#pragma once

namespace hiillos::testing_lib {

class CheckLog {
 public:
  enum class Print { kAll, kFailures };

  constexpr explicit CheckLog(const char* test, Print print = Print::kAll)
      : test_(test), print_(print) {}

  void Check(bool ok, const char* what);
  // "<test>: P passed, F failed".
  void PrintSummary() const;
  const char* test() const { return test_; }

  int passed = 0;
  int failed = 0;

 private:
  const char* test_;
  Print print_;
};

}  // namespace hiillos::testing_lib
