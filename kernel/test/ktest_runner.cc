// kernel/test/ktest_runner.cc — walks the .ktest section (bounds from kernel.ld) and runs tests.
#include "kernel/test/ktest_runner.h"

#include "kernel/lib/log.h"
#include "kernel/test/ktest.h"

extern "C" const hiillos::ktest::Entry __ktest_start[];
extern "C" const hiillos::ktest::Entry __ktest_end[];

namespace hiillos::ktest {
namespace {

bool Contains(const char* haystack_suite, const char* haystack_name, const char* needle) {
  if (needle == nullptr || needle[0] == '\0') return true;
  char full[128];
  unsigned n = 0;
  for (const char* p = haystack_suite; *p && n < sizeof(full) - 2; ++p) full[n++] = *p;
  full[n++] = '.';
  for (const char* p = haystack_name; *p && n < sizeof(full) - 1; ++p) full[n++] = *p;
  full[n] = '\0';
  for (unsigned i = 0; full[i]; ++i) {
    unsigned j = 0;
    while (needle[j] && full[i + j] == needle[j]) ++j;
    if (needle[j] == '\0') return true;
  }
  return false;
}

}  // namespace

bool Context::Check(bool condition, const char* expression, const char* file, int line) {
  if (!condition) {
    ++failures_;
    klog::Log("ktest", "    %s:%d: expected %s", file, line, expression);
  }
  return condition;
}

bool Context::CheckEqual(uint64_t actual, uint64_t expected, const char* expression,
                         const char* file, int line) {
  if (actual != expected) {
    ++failures_;
    klog::Log("ktest", "    %s:%d: expected %s (got %#lx, want %#lx)", file, line, expression,
              actual, expected);
  }
  return actual == expected;
}

Summary RunAll(const char* filter) {
  Summary summary{0, 0};
  for (const Entry* entry = __ktest_start; entry < __ktest_end; ++entry) {
    if (!Contains(entry->suite, entry->name, filter)) continue;
    klog::Log("ktest", "[ RUN  ] %s.%s", entry->suite, entry->name);
    Context context;
    entry->function(context);
    if (context.failed()) {
      ++summary.failed;
      klog::Log("ktest", "[ FAIL ] %s.%s", entry->suite, entry->name);
    } else {
      ++summary.passed;
      klog::Log("ktest", "[  OK  ] %s.%s", entry->suite, entry->name);
    }
  }
  klog::Log("ktest", "%u passed, %u failed", summary.passed, summary.failed);
  return summary;
}

}  // namespace hiillos::ktest
