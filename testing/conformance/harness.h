// testing/conformance/harness.h — the conformance suite's test harness: cases registered with
// CONFORMANCE_CASE, expectations that count failures (and say where), and a leak check after
// every case (free pages, capability slots, live kernel objects and the bytes charged to the
// suite's Memory back to the baseline).
//
// Each case runs twice: the first run warms up what the kernel keeps once allocated (slab
// pages of its object allocator, capability-table pages), the second is measured. Both runs'
// failed expectations count.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "services/lib/syscalls.h"
#include "uapi/status.h"

namespace hiillos::conformance {

struct Case {
  const char* name;
  void (*run)();
};

// Records one expectation; prints a line with file:line and the text when it fails.
bool Expect(bool ok, const char* text, const char* file, int line);
bool ExpectStatus(uapi::Status actual, uapi::Status expected, const char* text, const char* file,
                  int line);
bool ExpectEq(uint64_t actual, uint64_t expected, const char* text, const char* file, int line);

// Runs every registered case (in link order, sorted by name) and returns the failure count;
// prints "conformance: N passed, N failed".
uint64_t RunAll();

}  // namespace hiillos::conformance

#define CONFORMANCE_CASE(name)                                                               \
  static void conformance_case_##name();                                                     \
  [[gnu::used, gnu::section("conformance_cases")]] static const ::hiillos::conformance::Case \
      conformance_entry_##name = {#name, conformance_case_##name};                           \
  static void conformance_case_##name()

#define EXPECT_TRUE(cond) ::hiillos::conformance::Expect((cond), #cond, __FILE__, __LINE__)
#define EXPECT_EQ(actual, expected)                                                                \
  ::hiillos::conformance::ExpectEq(static_cast<uint64_t>(actual), static_cast<uint64_t>(expected), \
                                   #actual " == " #expected, __FILE__, __LINE__)
// `call` is a SysResult, a Result<T, Status> or a Status; `status` a uapi::Status.
#define EXPECT_STATUS(call, status)                                                             \
  ::hiillos::conformance::ExpectStatus(::hiillos::conformance::StatusOf(call), (status), #call, \
                                       __FILE__, __LINE__)
#define EXPECT_OK(call) EXPECT_STATUS(call, ::hiillos::uapi::Status::kOk)

namespace hiillos::conformance {
inline uapi::Status StatusOf(const rt::SysResult& result) {
  return result.status;
}
inline uapi::Status StatusOf(uapi::Status status) {
  return status;
}
template <typename R>
uapi::Status StatusOf(const R& result) {
  return result.ok() ? uapi::Status::kOk : result.error();
}
}  // namespace hiillos::conformance
