// testing/programs/exit_with.cc — /bin/exit_with CODE [WORDS...]: prints its start information,
// exercises the heap (malloc, new[], realloc, delete) and exits with CODE (decimal). Used by the
// system and loader guest tests (testing/BUILD.bazel).
#include "services/lib/heap_glue.h"
#include "services/lib/print.h"
#include "services/lib/program.h"

namespace {

using namespace hiillos;

int ParseCode(const char* text) {
  int code = 0;
  for (; text != nullptr && *text >= '0' && *text <= '9'; ++text) code = code * 10 + (*text - '0');
  return code;
}

// Builds the argument list joined by spaces on the heap; false when the heap misbehaves.
bool HeapWorks(const startinfo::StartInfo& start) {
  size_t total = 1;
  for (size_t i = 0; i < start.arg_count(); ++i) total += start.Arg(i).length + 1;
  auto* joined = static_cast<char*>(malloc(8));
  if (joined == nullptr) return false;
  joined = static_cast<char*>(realloc(joined, total));  // grows: copies
  if (joined == nullptr) return false;
  size_t at = 0;
  for (size_t i = 0; i < start.arg_count(); ++i) {
    for (size_t j = 0; j < start.Arg(i).length; ++j) joined[at++] = start.Arg(i).data[j];
    joined[at++] = i + 1 < start.arg_count() ? ' ' : '\0';
  }
  if (at == 0) joined[0] = '\0';
  rt::Printf("exit_with: pid %lu, args: %s", start.pid(), joined);
  free(joined);
  auto* big = new uint64_t[100000];  // 800 KB: a page run of its own
  for (uint64_t i = 0; i < 100000; ++i) big[i] = i * 3;
  uint64_t sum = 0;
  for (uint64_t i = 0; i < 100000; ++i) sum += big[i];
  delete[] big;
  return sum == 3ull * (99999ull * 100000ull / 2);
}

}  // namespace

int ProgramMain(const startinfo::StartInfo& start) {
  if (!rt::HeapAvailable() || !HeapWorks(start)) {
    rt::Printf("exit_with: the heap does not work");
    return 99;
  }
  const int code = ParseCode(rt::Arg(start, 1));
  rt::Printf("exit_with: exiting with code %d", code);
  return code;
}
