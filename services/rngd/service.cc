// services/rngd/service.cc — RngService (service.h).
#include "services/rngd/service.h"

namespace hiillos::rngd {

Gathered RngService::Seed() {
  return GatherEntropy(source_, generator_, csprng::Csprng::kMinSeedBits);
}

void RngService::Handle(const uint64_t request[6], uint64_t reply[6]) {
  for (int i = 0; i < 6; ++i) reply[i] = 0;
  switch (request[0]) {
    case kOpRead: {
      uint64_t length = request[1];
      if (length == 0 || length > kMaxReadBytes) {
        reply[0] = kBadLength;
        return;
      }
      // Unseeded: try once more (bounded); reseed due: fold in fresh entropy first.
      if (!generator_.seeded() || generator_.reseed_due()) Seed();
      uint8_t bytes[kMaxReadBytes] = {};
      if (!generator_.Generate(bytes, length).ok()) {
        reply[0] = kNotSeeded;
        return;
      }
      for (uint64_t i = 0; i < length; ++i) {
        reply[1 + i / 8] |= uint64_t{bytes[i]} << (8 * (i % 8));
      }
      for (uint8_t& b : bytes) b = 0;
      reply[0] = kOk;
      return;
    }
    case kOpStatus:
      reply[0] = kOk;
      reply[1] = generator_.seeded() ? 1 : 0;
      reply[2] = generator_.reseed_count();
      reply[3] = (source_.HasRdseed() ? kSourceRdseed : 0) |
                 (source_.HasRdrand() ? kSourceRdrand : 0) | kSourceJitter;
      reply[4] = generator_.pool_bits();
      return;
  }
  reply[0] = kUnknownOp;
}

}  // namespace hiillos::rngd
