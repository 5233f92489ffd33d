// lib/fat32/testing/deterministic_bytes.h — a fixed pseudo-random byte sequence (xorshift32),
// shared by the tests and the //disk image's sample file so both sides can recompute it.
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <vector>

namespace hiillos::fat32::testing {

std::vector<uint8_t> DeterministicBytes(size_t size, uint32_t seed);

}  // namespace hiillos::fat32::testing
