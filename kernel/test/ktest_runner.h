// kernel/test/ktest_runner.h — runs the registered in-kernel tests and reports a verdict.
#pragma once

namespace hiillos::ktest {

struct Summary {
  unsigned passed;
  unsigned failed;
};

// Runs every test whose "suite.name" contains `filter` (all when empty). Prints one line per
// test and the closing line "ktest: N passed, N failed".
Summary RunAll(const char* filter);

}  // namespace hiillos::ktest
