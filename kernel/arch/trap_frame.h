// kernel/arch/trap_frame.h — the architecture interface for the register frame of an interrupt,
// exception or system call: generic code passes it around and asks whether it came from user
// mode; only arch code reads its registers.
#pragma once

#include "kernel/arch/api_concepts.h"
#include "kernel/arch/x86_64/interrupt_frame.h"

namespace hiillos::arch {

template <typename Frame>
concept TrapFrameApi = requires(const Frame& frame) {
  { FromUserMode(frame) } -> SameAs<bool>;
};

// arch::InterruptFrame (x86_64/interrupt_frame.h).
static_assert(TrapFrameApi<InterruptFrame>);

}  // namespace hiillos::arch
