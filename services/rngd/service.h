// services/rngd/service.h — RngService: rngd's request handling over a Csprng and an
// EntropySource: refuses output (kNotSeeded) until the generator is seeded, gathers entropy
// before a request while unseeded or when a reseed is due, answers kOpRead and kOpStatus.
// Pure logic (no syscalls), host-tested (service_test.cc).
#pragma once

#include <stdint.h>

#include "lib/csprng/csprng.h"
#include "services/rngd/entropy.h"
#include "services/rngd/protocol.h"

namespace hiillos::rngd {

class RngService {
 public:
  RngService(EntropySource& source, csprng::ReseedPolicy policy)
      : source_(source), generator_(policy) {}

  // Gathers until seeded or nothing more is credited (one bounded round per source use).
  Gathered Seed();
  // request w0..w5 -> reply w0..w5.
  void Handle(const uint64_t request[6], uint64_t reply[6]);

  bool seeded() const { return generator_.seeded(); }
  uint64_t reseed_count() const { return generator_.reseed_count(); }

 private:
  EntropySource& source_;
  csprng::Csprng generator_;
};

}  // namespace hiillos::rngd
