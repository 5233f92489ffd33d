// testing/vm/share_protocol.h — the messages between the vm guest test and /bin/vm_share (the
// two sides of its Share check): w0 = op, w1 = an address where noted.
#pragma once

#include <stdint.h>

namespace hiillos::testing_vm {

inline constexpr uint64_t kReady = 1;    // taker → test; reply w1 = the shared region's address
inline constexpr uint64_t kChecked = 2;  // taker → test: pattern checked, mark written
inline constexpr uint64_t kShared = 3;   // giver → test: w1 = the address in the taker's space
inline constexpr uint64_t kShareBytes = 0x2000;
inline constexpr uint64_t kMark = 0x5a5a'1234'5a5a'4321ull;
inline constexpr uint8_t kProtReadWrite = 3;  // read | write (services/vm/region.h)

}  // namespace hiillos::testing_vm
