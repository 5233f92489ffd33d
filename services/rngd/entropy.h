// services/rngd/entropy.h — where rngd's seed comes from, and how much each source is trusted.
//
// Sources (EntropySource is the hardware in rngd, a script in host tests):
// - RDSEED (when CPUID.7.0:EBX[18] says so): output of the CPU's conditioned entropy source,
//   credited at full strength (64 bits per 64-bit value). It fails (CF = 0) when the source is
//   drained: per Intel's DRNG guide, retry after a PAUSE; we give up after kRdseedRetries
//   failures in a row and use what we got.
// - RDRAND (CPUID.1:ECX[30]): a DRBG output, retried up to kRdrandRetries times when it fails
//   (Intel: 10 failures in a row mean the hardware is broken). Its values are not seed-grade one
//   by one: the DRBG reseeds at least every 511 128-bit outputs, so kRdrandReadsPer128Bits
//   consecutive 64-bit reads (512 x 128 bits) span a reseed and are credited 128 bits (Intel's
//   "generating seeds from RDRAND" method).
// - TSC jitter: differences of cycle-counter readings around a short loop. Always mixed in;
//   credited kJitterBitsPerBlock bits per block of kJitterSamples deltas only when the block
//   passes health tests (no delta repeated kJitterMaxRepeats times in a row, at least
//   kJitterMinDistinct distinct low bytes). Under QEMU's -icount (deterministic TSC) the
//   deltas repeat and the credit is 0: without RDRAND/RDSEED such a machine never seeds.
// Pure logic over the interface, host-tested (service_test.cc).
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "lib/csprng/csprng.h"

namespace hiillos::rngd {

class EntropySource {
 public:
  virtual bool HasRdseed() = 0;
  virtual bool HasRdrand() = 0;
  // One instruction: true and *value when CF = 1.
  virtual bool Rdseed(uint64_t* value) = 0;
  virtual bool Rdrand(uint64_t* value) = 0;
  virtual uint64_t ReadTsc() = 0;
  virtual void Pause() = 0;

 protected:
  ~EntropySource() = default;
};

inline constexpr uint32_t kRdrandRetries = 10;
inline constexpr uint32_t kRdseedRetries = 100;
inline constexpr uint32_t kRdrandReadsPer128Bits = 1024;
inline constexpr size_t kJitterSamples = 256;
inline constexpr uint32_t kJitterBitsPerBlock = 16;
inline constexpr uint32_t kJitterMaxRepeats = 16;
inline constexpr uint32_t kJitterMinDistinct = 16;

// What one gathering round added (for the log and kOpStatus).
struct Gathered {
  uint32_t rdseed_bits = 0;
  uint32_t rdrand_bits = 0;
  uint32_t jitter_bits = 0;
  bool rdrand_broken = false;  // kRdrandRetries failures in a row
  uint32_t total() const { return rdseed_bits + rdrand_bits + jitter_bits; }
};

// One round of gathering into `generator`, aiming at `target_bits` of credited entropy: RDSEED
// first, then RDRAND, and one block of jitter always. Bounded work.
Gathered GatherEntropy(EntropySource& source, csprng::Csprng& generator, uint32_t target_bits);

// One jitter block's credit under the health tests above (exposed for tests).
uint32_t JitterCredit(const uint64_t* deltas, size_t count);

}  // namespace hiillos::rngd
