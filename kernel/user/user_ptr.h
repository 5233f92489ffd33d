// kernel/user/user_ptr.h — typed user pointers: addresses supplied by user space, which kernel
// code never dereferences; only the copy helpers (user_copy.h) read or write through them.
#pragma once

#include <stddef.h>
#include <stdint.h>

namespace hiillos::user {

// Memory the kernel reads from: `count` objects of T at `address` (a user-supplied value).
template <typename T>
class UserIn {
 public:
  constexpr explicit UserIn(uint64_t address) : address_(address) {}
  constexpr uint64_t address() const { return address_; }

 private:
  uint64_t address_;
};

// Memory the kernel writes to.
template <typename T>
class UserOut {
 public:
  constexpr explicit UserOut(uint64_t address) : address_(address) {}
  constexpr uint64_t address() const { return address_; }

 private:
  uint64_t address_;
};

}  // namespace hiillos::user
