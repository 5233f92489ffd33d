// kernel/object/bounded_value.h — BoundedValue<kMax>: a number the syscall decode step checked
// to lie in [0, kMax], and the kernel's named instances (FrameOrder, Priority). Object methods
// take these and never check the range again. Pure, host-tested.
#pragma once

#include <stdint.h>

#include "kernel/result/kresult.h"
#include "uapi/syscalls.h"

namespace hiillos::object {

template <uint64_t kMaxValue>
class BoundedValue {
 public:
  static constexpr uint64_t kMax = kMaxValue;

  // Errors: kInvalidArgument (raw > kMax).
  [[nodiscard]] static KResult<BoundedValue> Check(uint64_t raw) {
    if (raw > kMax) return Err(uapi::Status::kInvalidArgument);
    return BoundedValue(raw, Checked{});
  }
  // A constant known at compile time (`Frame::Create(memory, 0)`); out of range does not compile.
  consteval BoundedValue(uint64_t constant) : value_(constant) {
    if (constant > kMax) __builtin_trap();  // not a constant expression: compile error
  }

  constexpr uint64_t value() const { return value_; }

 private:
  struct Checked {};
  constexpr BoundedValue(uint64_t value, Checked) : value_(value) {}
  uint64_t value_;
};

// A RAM frame of 0x1000 << order bytes.
using FrameOrder = BoundedValue<uapi::kMaxFrameOrder>;
// A scheduling priority, 0 (lowest) .. kMaxPriority.
using Priority = BoundedValue<uapi::kMaxPriority>;

}  // namespace hiillos::object
