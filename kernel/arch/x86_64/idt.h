// kernel/arch/x86_64/idt.h — the IDT (shared by all CPUs) and the handler table for vectors 32-255.
//
// Vectors 0-31 are exceptions, handled by exception_handler.cc (report + panic, or a fault
// probe's recovery). Vectors 32-255 go to handlers registered here (APIC timer, IPIs, devices);
// a handler runs with interrupts off on the interrupted stack and must send its own EOI.
#pragma once

#include <stdint.h>

#include "kernel/arch/x86_64/interrupt_frame.h"
#include "lib/base/result.h"

namespace hiillos::arch {

inline constexpr uint32_t kFirstInterruptVector = 32;
inline constexpr uint32_t kVectorCount = 256;

using InterruptHandler = void (*)(InterruptFrame& frame);

enum class InterruptError : uint8_t {
  kReservedVector,     // vectors 0-31 belong to the exception handlers
  kAlreadyRegistered,  // another handler owns the vector (clear it first)
  kNotRegistered,      // ClearInterruptHandler on a free vector
};

// Installs `handler` for `vector` (32-255). Safe from any CPU at any time.
Result<void, InterruptError> SetInterruptHandler(uint8_t vector, InterruptHandler handler);
Result<void, InterruptError> ClearInterruptHandler(uint8_t vector);
// The handler for `vector`, nullptr if none.
InterruptHandler GetInterruptHandler(uint8_t vector);

// Builds the IDT on first use and loads it (LIDT) on the calling CPU.
void IdtLoad();

// The interrupt stack table slot a vector runs on (0 = the current stack).
uint8_t IstFor(uint64_t vector);
// The IDT's address (tests compare with SIDT).
uint64_t IdtAddress();

}  // namespace hiillos::arch
