// lib/elf/parse.h — the one ELF64 validator shared by the loader, the kernel and the runtime.
#pragma once

#include <stdint.h>

#include "lib/base/result.h"
#include "lib/elf/error.h"
#include "lib/elf/image.h"

namespace hiillos::elf {

// Validates the ELF file in data[0, size) against `policy` (see image.h for the guarantees of a
// returned Image). Never reads outside the buffer; `data` needs no particular alignment.
Result<Image, Error> Parse(const uint8_t* data, uint64_t size, const Policy& policy);

}  // namespace hiillos::elf
