// testing/lib/check_log.cc — CheckLog: counting and printing a guest test's checks.
#include "testing/lib/check_log.h"

#include "services/lib/print.h"

namespace hiillos::testing_lib {

void CheckLog::Check(bool ok, const char* what) {
  if (ok) {
    ++passed;
    if (print_ == Print::kAll) rt::Printf("%s: ok: %s", test_, what);
  } else {
    ++failed;
    rt::Printf("%s: FAILED: %s", test_, what);
  }
}

void CheckLog::PrintSummary() const {
  rt::Printf("%s: %d passed, %d failed", test_, passed, failed);
}

}  // namespace hiillos::testing_lib
