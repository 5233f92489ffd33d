// kernel/arch/deliberate_faults.h — the architecture interface for faulting on purpose: one
// function per exception class the panic path must report, and a CPU that answers no IPI
// (`hiillos.crash=`).
#pragma once

#include <stdint.h>

#include "kernel/arch/api_concepts.h"
#include "kernel/arch/x86_64/deliberate_faults.h"

namespace hiillos::arch {

template <typename T>
concept DeliberateFaultsApi = requires(uint64_t address, Atomic<bool>* flag) {
  { T::InvalidInstruction() } -> SameAs<void>;
  { T::ProtectionFault() } -> SameAs<void>;
  { T::DivideByZero() } -> SameAs<void>;
  { T::FaultOnBadStack(address) } -> SameAs<void>;
  { T::FaultWithBadFramePointer(address, address) } -> SameAs<void>;
  { T::SpinWithInterruptsOff(flag) } -> SameAs<void>;
};

using DeliberateFaults = x86_64::DeliberateFaults;
static_assert(DeliberateFaultsApi<DeliberateFaults>);

}  // namespace hiillos::arch
