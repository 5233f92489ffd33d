// tools/initfs/expected.h — Expected<T>: a value or a Failure with a message for the user
// (the host tool's error type; hosted code, built without exceptions like the rest of hiillos).
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace hiillos::initfs {

struct Failure {
  std::string message;
};

template <typename T>
class [[nodiscard]] Expected {
 public:
  Expected(T value) : state_(std::move(value)) {}
  Expected(Failure failure) : state_(std::move(failure)) {}

  bool ok() const { return std::holds_alternative<T>(state_); }
  // Preconditions: ok() for value(), !ok() for failure().
  T& value() { return *std::get_if<T>(&state_); }
  const T& value() const { return *std::get_if<T>(&state_); }
  const Failure& failure() const { return *std::get_if<Failure>(&state_); }

 private:
  std::variant<T, Failure> state_;
};

// For operations without a result: nullopt means success.
using MaybeFailure = std::optional<Failure>;

}  // namespace hiillos::initfs
