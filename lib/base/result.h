// lib/base/result.h — Result<T, E>: a value or an error value, and TRY() to propagate errors.
//
// Errors are values everywhere in hiillos (no exceptions, no panics on untrusted input).
// `return Err(e);` converts to any Result<T, E>; TRY(expr) unwraps or returns the error.
#pragma once

#include "lib/base/placement_new.h"
#include "lib/base/utility.h"

namespace hiillos {

template <typename E>
struct [[nodiscard]] Err {
  constexpr Err(E e) : error(e) {}
  E error;
};
template <typename E>
Err(E) -> Err<E>;

template <typename T, typename E>
class [[nodiscard]] Result {
 public:
  constexpr Result(const T& value) : ok_(true) { new (&value_) T(value); }
  constexpr Result(T&& value) : ok_(true) { new (&value_) T(Move(value)); }
  constexpr Result(Err<E> err) : ok_(false) { new (&error_) E(err.error); }
  Result(const Result& other) : ok_(other.ok_) {
    if (ok_)
      new (&value_) T(other.value_);
    else
      new (&error_) E(other.error_);
  }
  Result(Result&& other) : ok_(other.ok_) {
    if (ok_)
      new (&value_) T(Move(other.value_));
    else
      new (&error_) E(other.error_);
  }
  Result& operator=(const Result&) = delete;
  ~Result() {
    if (ok_) value_.~T();
  }

  constexpr bool ok() const { return ok_; }
  constexpr explicit operator bool() const { return ok_; }
  // Precondition: ok(). Callers check first (TRY does).
  constexpr T& value() & { return value_; }
  constexpr const T& value() const& { return value_; }
  constexpr T&& value() && { return Move(value_); }
  constexpr E error() const { return error_; }
  constexpr T value_or(T fallback) const { return ok_ ? value_ : fallback; }

 private:
  bool ok_;
  union {
    T value_;
    E error_;
  };
};

template <typename E>
class [[nodiscard]] Result<void, E> {
 public:
  constexpr Result() : ok_(true), error_() {}
  constexpr Result(Err<E> err) : ok_(false), error_(err.error) {}
  constexpr bool ok() const { return ok_; }
  constexpr explicit operator bool() const { return ok_; }
  constexpr E error() const { return error_; }
  constexpr void value() const {}

 private:
  bool ok_;
  E error_;
};

template <typename E>
constexpr Result<void, E> Ok() {
  return Result<void, E>();
}

}  // namespace hiillos

// Evaluates `expr` (a Result); on error returns Err(error) from the enclosing function,
// otherwise yields the value. Uses a statement expression (clang/gcc extension).
#define TRY(expr)                                 \
  ({                                              \
    auto&& try_result_ = (expr);                  \
    if (!try_result_.ok()) {                      \
      return ::hiillos::Err{try_result_.error()}; \
    }                                             \
    ::hiillos::Move(try_result_).value();         \
  })
