// kernel/cap/testing/status_matchers.h — GoogleTest helpers for Result<T, uapi::Status>: readable
// Status printing, EXPECT_STATUS (fails with a specific error) and ValueOrDie-style unwrapping.
#pragma once

#include <gtest/gtest.h>

#include <ostream>
#include <utility>

#include "lib/base/result.h"
#include "uapi/object_type.h"
#include "uapi/rights.h"
#include "uapi/status.h"

namespace hiillos::uapi {
inline void PrintTo(Status status, std::ostream* out) {
  *out << StatusName(status);
}
inline void PrintTo(ObjectType type, std::ostream* out) {
  *out << ObjectTypeName(type);
}
inline void PrintTo(Rights rights, std::ostream* out) {
  *out << "Rights{" << rights.bits << "}";
}
}  // namespace hiillos::uapi

// Checks that `expr` (a Result<T, Status>) failed with `status`.
#define EXPECT_STATUS(expr, status)                           \
  do {                                                        \
    auto&& status_result_ = (expr);                           \
    EXPECT_FALSE(status_result_.ok()) << "expected " #status; \
    if (!status_result_.ok()) {                               \
      EXPECT_EQ(status_result_.error(), status);              \
    }                                                         \
  } while (0)

// Unwraps a Result<T, Status> in a test: `ASSERT_OK_AND_ASSIGN(Handle h, table.Insert(...));`
// fails the test (and returns) on error.
#define ASSERT_OK_AND_ASSIGN(lhs, expr) \
  ASSERT_OK_AND_ASSIGN_IMPL_(STATUS_MATCHERS_CONCAT_(status_result_, __LINE__), lhs, expr)
#define ASSERT_OK_AND_ASSIGN_IMPL_(result, lhs, expr)                      \
  auto&& result = (expr);                                                  \
  ASSERT_TRUE(result.ok()) << ::hiillos::uapi::StatusName(result.error()); \
  lhs = std::move(result).value()
#define STATUS_MATCHERS_CONCAT_(a, b) STATUS_MATCHERS_CONCAT_INNER_(a, b)
#define STATUS_MATCHERS_CONCAT_INNER_(a, b) a##b

#define EXPECT_OK(expr)                                                              \
  do {                                                                               \
    auto&& ok_result_ = (expr);                                                      \
    EXPECT_TRUE(ok_result_.ok()) << ::hiillos::uapi::StatusName(ok_result_.error()); \
  } while (0)

#define ASSERT_OK(expr)                                                              \
  do {                                                                               \
    auto&& ok_result_ = (expr);                                                      \
    ASSERT_TRUE(ok_result_.ok()) << ::hiillos::uapi::StatusName(ok_result_.error()); \
  } while (0)
