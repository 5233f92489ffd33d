// services/rngd/entropy.cc — GatherEntropy and the jitter health tests (entropy.h).
#include "services/rngd/entropy.h"

namespace hiillos::rngd {
namespace {

void AddWords(csprng::Csprng& generator, const uint64_t* words, size_t count, uint32_t bits) {
  generator.AddEntropy(reinterpret_cast<const uint8_t*>(words), count * sizeof(uint64_t), bits);
}

bool RdrandRetried(EntropySource& source, uint64_t* value, bool* broken) {
  for (uint32_t attempt = 0; attempt < kRdrandRetries; ++attempt) {
    if (source.Rdrand(value)) return true;
  }
  *broken = true;
  return false;
}

}  // namespace

uint32_t JitterCredit(const uint64_t* deltas, size_t count) {
  if (count < kJitterSamples) return 0;
  uint32_t run = 1;
  bool seen[256] = {};
  uint32_t distinct = 0;
  for (size_t i = 0; i < count; ++i) {
    if (i > 0) {
      run = deltas[i] == deltas[i - 1] ? run + 1 : 1;
      if (run >= kJitterMaxRepeats) return 0;
    }
    uint8_t low = static_cast<uint8_t>(deltas[i]);
    if (!seen[low]) {
      seen[low] = true;
      ++distinct;
    }
  }
  return distinct >= kJitterMinDistinct ? kJitterBitsPerBlock : 0;
}

Gathered GatherEntropy(EntropySource& source, csprng::Csprng& generator, uint32_t target_bits) {
  Gathered got;
  // RDSEED: full credit per value.
  if (source.HasRdseed()) {
    uint64_t words[4];
    size_t filled = 0;
    uint32_t failures = 0;
    while (got.rdseed_bits < target_bits && failures < kRdseedRetries) {
      if (source.Rdseed(&words[filled])) {
        failures = 0;
        if (++filled == 4) {
          AddWords(generator, words, filled, 4 * 64);
          got.rdseed_bits += 4 * 64;
          filled = 0;
        }
      } else {
        ++failures;
        source.Pause();
      }
    }
    if (filled > 0) {
      AddWords(generator, words, filled, static_cast<uint32_t>(filled * 64));
      got.rdseed_bits += static_cast<uint32_t>(filled * 64);
    }
  }
  // RDRAND: 128 bits per kRdrandReadsPer128Bits consecutive reads.
  if (source.HasRdrand()) {
    while (got.total() < target_bits && !got.rdrand_broken) {
      uint64_t block[32];
      uint32_t reads = 0;
      while (reads < kRdrandReadsPer128Bits) {
        size_t n = 0;
        for (; n < 32 && reads < kRdrandReadsPer128Bits; ++n, ++reads) {
          if (!RdrandRetried(source, &block[n], &got.rdrand_broken)) break;
        }
        if (got.rdrand_broken) break;
        // Mixed in as read; credited only when the whole span is complete.
        bool last = reads == kRdrandReadsPer128Bits;
        AddWords(generator, block, n, last ? 128 : 0);
      }
      if (!got.rdrand_broken) got.rdrand_bits += 128;
    }
  }
  // Jitter: one block, always mixed in.
  uint64_t deltas[kJitterSamples];
  uint64_t previous = source.ReadTsc();
  for (size_t i = 0; i < kJitterSamples; ++i) {
    // A short, data-dependent loop between readings.
    uint64_t spin = (previous & 7) + 1;
    for (uint64_t k = 0; k < spin; ++k) source.Pause();
    uint64_t now = source.ReadTsc();
    deltas[i] = now - previous;
    previous = now;
  }
  got.jitter_bits = JitterCredit(deltas, kJitterSamples);
  AddWords(generator, deltas, kJitterSamples, got.jitter_bits);
  return got;
}

}  // namespace hiillos::rngd
